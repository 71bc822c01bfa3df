import { Webhook } from 'svix'
import { prisma } from '@/lib/db'

const secret = process.env.CLERK_WEBHOOK_SIGNING_SECRET!

export async function POST(req: Request) {
  // The body is parsed first and re-serialised for svix: the signature no longer matches.
  const payload = await req.json() // ruleid: webhook.parsed-before-verify
  const evt = new Webhook(secret).verify(JSON.stringify(payload), {
    'svix-id': req.headers.get('svix-id') ?? '',
    'svix-timestamp': req.headers.get('svix-timestamp') ?? '',
    'svix-signature': req.headers.get('svix-signature') ?? '',
  }) as { type: string; data: { id: string } }
  if (evt.type === 'user.created') {
    await prisma.user.create({ data: { clerkId: evt.data.id } })
  }
  return Response.json({ ok: true })
}
