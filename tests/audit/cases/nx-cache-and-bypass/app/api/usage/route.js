import { auth } from '@clerk/nextjs/server'
import { unstable_cache } from 'next/cache'
import { db } from '@/lib/db'

export async function GET() {
  const session = await auth()
  if (!session.userId) return new Response('unauthorized', { status: 401 })
  // ruleid: nextjs.cache-key-missing-user
  const usage = unstable_cache(async () => db.invoice.findMany({ where: { userId: session.userId } }), ['usage'])
  // ok: nextjs.cache-key-missing-user
  const mine = unstable_cache(async () => db.invoice.findMany({ where: { userId: session.userId } }), ['usage', session.userId])
  // ok: nextjs.cache-key-missing-user
  const plans = unstable_cache(async () => db.plan.findMany(), ['plans'])
  return Response.json([await usage(), await mine(), await plans()])
}
