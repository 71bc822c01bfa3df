import { getAuth } from '@clerk/nextjs/server'
import prisma from '../../lib/prisma'

export default async function handler(req, res) {
  const { userId } = getAuth(req)
  if (!userId) return res.status(401).end()
  // ok: nextjs.unguarded-route-handler
  const me = await prisma.user.findUnique({ where: { clerkId: userId } })
  res.status(200).json(me)
}
