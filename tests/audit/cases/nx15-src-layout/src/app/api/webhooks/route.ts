import { Webhook } from 'svix'
import { headers } from 'next/headers'

export async function POST(req: Request) {
  // ok: webhook.parsed-before-verify
  const body = await req.text()
  const h = await headers()
  const evt = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!).verify(body, {
    'svix-id': h.get('svix-id')!,
    'svix-timestamp': h.get('svix-timestamp')!,
    'svix-signature': h.get('svix-signature')!,
  })
  return Response.json({ ok: Boolean(evt) })
}
