'use client'

// ruleid: secrets.hardcoded-key
const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
// ruleid: secrets.next-public-secret
const secret = process.env.NEXT_PUBLIC_CLERK_SECRET_KEY

export function Keys() {
  return <p>{WEBHOOK_SECRET.length + (secret ?? '').length}</p>
}
