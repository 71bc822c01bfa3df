'use client'
import { useAuth } from '@clerk/nextjs'

export function AdminTools() {
  const { has } = useAuth()
  // ok: authz.system-permission-check
  const canInvite = has?.({ permission: 'org:sys_memberships:manage' })
  // ok: secrets.next-public-secret
  const key = process.env.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY
  return canInvite ? <p>{key}</p> : null
}
