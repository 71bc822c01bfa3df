const express = require('express')
const { clerkMiddleware, requireAuth, getAuth } = require('@clerk/express')
const { verifyWebhook } = require('@clerk/express/webhooks')
const db = require('./db')
const itemsRouter = require('./routes/items')

const app = express()
// ruleid: js.authorized-parties-missing
app.use(clerkMiddleware())

// ruleid: webhook.parsed-before-verify
app.post('/api/webhooks', express.json(), async (req, res) => {
  const evt = await verifyWebhook(req)
  res.json({ type: evt.type })
})

// ruleid: express.require-auth-missing
app.get('/api/projects', async (req, res) => {
  const projects = await db.project.findMany()
  res.json(projects)
})

// ok: express.require-auth-missing
app.get('/api/me', requireAuth(), async (req, res) => {
  const me = await db.user.findUnique({ where: { clerkId: getAuth(req).userId } })
  res.json(me)
})

app.get('/api/orgs/:orgId/invoices', requireAuth(), async (req, res) => {
  // ruleid: authz.tenant-id-from-request
  const invoices = await db.invoice.findMany({ where: { orgId: req.params.orgId } })
  res.json(invoices)
})

app.get('/api/orgs/:orgId/members', requireAuth(), async (req, res) => {
  const { orgId } = getAuth(req)
  // ok: authz.tenant-id-from-request
  if (req.params.orgId !== orgId) return res.status(403).end()
  res.json(await db.member.findMany({ where: { orgId } }))
})

app.use('/api/items', requireAuth(), itemsRouter)

module.exports = app
