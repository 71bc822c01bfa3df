import { auth, currentUser } from '@clerk/nextjs/server'
import { unstable_cache as cached } from 'next/cache'
import { db } from '@/lib/db'

export default async function Invoices() {
  const { userId, orgId } = await auth.protect()
  // ruleid: nextjs.cache-key-missing-user
  const getInvoices = cached(async () => db.invoice.findMany({ where: { userId } }), ['invoices'])
  // ruleid: nextjs.cache-key-missing-user
  const getTeam = cached(async () => db.invoice.findMany({ where: { orgId: orgId ?? '' } }))
  const user = await currentUser()
  // ruleid: nextjs.cache-key-missing-user
  const getMine = cached(async () => db.invoice.findMany({ where: { email: user?.primaryEmailAddress } }), ['mine', 'v2'])

  // ok: nextjs.cache-key-missing-user
  const scoped = cached(async () => db.invoice.findMany({ where: { userId } }), ['invoices', userId ?? 'anon'])
  // ok: nextjs.cache-key-missing-user
  const byOrg = cached(async () => db.invoice.findMany({ where: { orgId } }), [`org-${orgId}`])
  // ok: nextjs.cache-key-missing-user
  const byArgument = cached(async (userId: string) => db.invoice.findMany({ where: { userId } }), ['invoices'])
  // ok: nextjs.cache-key-missing-user
  const shared = cached(async () => db.plan.findMany(), ['plans'])
  const owner = userId ?? 'anonymous'
  // ruleid: nextjs.cache-key-missing-user
  const getOwned = cached(async () => db.invoice.findMany({ where: { owner } }), ['owned'])
  const keys = ['invoices', userId]
  // ok: nextjs.cache-key-missing-user
  const unknownKey = cached(async () => db.invoice.findMany({ where: { userId } }), keys)

  return [await getInvoices(), await getTeam(), await getMine(), await scoped(), await byOrg(),
    await byArgument(userId ?? ''), await shared(), await unknownKey(), await getOwned()].length
}
