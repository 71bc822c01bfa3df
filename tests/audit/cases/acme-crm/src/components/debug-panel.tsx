'use client'

export function DebugPanel() {
  const key = process.env.NEXT_PUBLIC_CLERK_SECRET_KEY // ruleid: secrets.next-public-secret
  return <pre>{key?.slice(0, 6)}</pre>
}
