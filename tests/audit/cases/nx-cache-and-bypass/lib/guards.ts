import { auth, clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

// ruleid: auth.dev-bypass
export const edge = process.env.SKIP_AUTH ? () => NextResponse.next() : clerkMiddleware()

export async function requireUser(req: Request) {
  // ruleid: auth.dev-bypass
  if (process.env.DEV_AUTH === '1') {
    return { userId: req.headers.get('x-user-id') }
  }
  const { userId } = await auth.protect()
  return { userId }
}

export async function requireAdmin() {
  // ruleid: auth.dev-bypass
  if (process.env.NODE_ENV === 'production') {
    await auth.protect({ role: 'org:admin' })
  }
}

export async function session() {
  // ok: auth.dev-bypass
  if (!process.env.CLERK_SECRET_KEY) {
    throw new Error('CLERK_SECRET_KEY is not set')
  }
  // ok: auth.dev-bypass
  if (!process.env.FEATURE_REPORTS) return Response.json({ error: 'disabled' }, { status: 404 })
  // ok: auth.dev-bypass
  const signInUrl = import.meta.env.DEV ? 'http://localhost:3000/sign-in' : '/sign-in'
  return auth.protect({ unauthenticatedUrl: signInUrl })
}

export const relaxed = clerkMiddleware(async (auth) => {
  // ruleid: auth.dev-bypass
  if (process.env.E2E === 'true') return
  await auth.protect()
})

export async function sendDigest() {
  // ok: auth.dev-bypass
  if (process.env.DISABLE_EMAILS) return
  const { userId } = await auth.protect()
  return userId
}
