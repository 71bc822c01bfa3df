import express from 'express'
import { createRemoteJWKSet, jwtVerify } from 'jose'
import { db } from './db'

const JWKS = createRemoteJWKSet(new URL('https://clerk.acme.com/.well-known/jwks.json'))
const app = express()

app.get('/projects', async (req, res) => {
  const { payload } = await jwtVerify(String(req.headers.authorization).slice(7), JWKS)
  // ruleid: authz.org-claims-v1
  if (payload.org_role !== 'org:admin') return res.status(403).end()
  // ruleid: authz.org-claims-v1
  const rows = await db.project.findMany({ where: { orgId: payload.org_id as string } })
  // ok: authz.org-claims-v1
  res.json(rows.map((row) => ({ id: row.id, org: row.org_id })))
})

export default app
