import { auth } from '@clerk/nextjs/server'

export async function currentOrg() {
  // ok: authz.org-claims-v1
  const { orgId, orgRole } = await auth()
  // ok: authz.org-claims-v1
  return orgRole === 'org:admin' ? orgId : null
}
