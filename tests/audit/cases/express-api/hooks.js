const express = require('express')
const { clerkMiddleware, requireAuth } = require('@clerk/express')

const hooks = express()
hooks.use(clerkMiddleware({ authorizedParties: ['https://app.example.com'] }))
// ruleid: webhook.gated-by-middleware
hooks.use(requireAuth())

// ruleid: webhook.unverified
hooks.post('/webhooks/clerk', express.raw({ type: 'application/json' }), (req, res) => {
  const evt = JSON.parse(req.body)
  res.json({ type: evt.type })
})

module.exports = hooks
