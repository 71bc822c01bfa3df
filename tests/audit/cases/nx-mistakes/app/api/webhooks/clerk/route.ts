import { db } from '@/lib/db'
import { users } from '@/lib/schema'

// ruleid: webhook.unverified
export async function POST(req: Request) {
  const evt = await req.json()
  if (evt.type === 'user.created') await db.insert(users).values({ clerkId: evt.data.id })
  return Response.json({ ok: true })
}
