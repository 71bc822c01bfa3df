import { verifyToken } from '@clerk/backend'

export async function orgOf(token: string) {
  const claims = await verifyToken(token, { secretKey: process.env.CLERK_SECRET_KEY, authorizedParties: ['https://acme.com'] })
  // ruleid: authz.org-claims-v1
  const { org_id, org_slug: slug } = claims
  return { id: org_id, slug }
}

export async function isMember(token: string) {
  const claims = await verifyToken(token, { secretKey: process.env.CLERK_SECRET_KEY, authorizedParties: ['https://acme.com'] })
  // ruleid: authz.org-claims-v1
  const { org_id: orgId } = claims
  if (!orgId) throw new Error('not a member')
  return orgId
}
