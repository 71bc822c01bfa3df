import { verifyWebhook } from '@clerk/nextjs/webhooks'
import type { NextRequest } from 'next/server'
import { db } from '@/lib/db'

// ok: webhook.unverified
export async function POST(req: NextRequest) {
  // ok: webhook.parsed-before-verify
  const evt = await verifyWebhook(req)
  if (evt.type === 'user.created') {
    await db.user.upsert({ where: { clerkId: evt.data.id }, create: { clerkId: evt.data.id }, update: {} })
  }
  return Response.json({ received: true })
}
