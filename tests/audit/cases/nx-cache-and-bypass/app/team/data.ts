import { auth } from '@clerk/nextjs/server'
import { unstable_cache } from 'next/cache'
import { db } from '@/lib/db'

async function loadUsage() {
  // ruleid: nextjs.cache-key-missing-user
  const { userId } = await auth()
  return db.invoice.findMany({ where: { userId } })
}

// ok: nextjs.cache-key-missing-user
export const usage = unstable_cache(loadUsage, ['usage'])

export async function teamPlans(orgId: string) {
  'use cache'
  // ok: nextjs.cache-key-missing-user
  return db.invoice.findMany({ where: { orgId } })
}

export async function myPlans() {
  'use cache'
  // ruleid: nextjs.cache-key-missing-user
  const { userId } = await auth()
  return db.invoice.findMany({ where: { userId } })
}
