import { jwtVerify, type JWTPayload } from 'jose'

type Claims = JWTPayload & { o?: { id: string; rol: string; slg: string }; org_id?: string }

export async function orgRole(token: string, key: CryptoKey) {
  const { payload } = await jwtVerify<Claims>(token, key)
  // ruleid: authz.org-claims-v1
  if (payload.o?.rol === 'org:admin') return 'admin'
  // ok: authz.org-claims-v1
  if (payload.o?.rol === 'admin') return 'admin'
  // ok: authz.org-claims-v1
  return payload.o?.id ?? payload.org_id
}
