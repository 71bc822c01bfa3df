import prisma from '../../lib/prisma'

export default async function handler(req, res) {
  // ruleid: nextjs.unguarded-route-handler
  const items = await prisma.item.findMany()
  res.status(200).json(items)
}
