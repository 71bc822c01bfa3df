const express = require('express')
const { clerkMiddleware, requireAuth } = require('@clerk/express')

const app = express()
// ok: auth.dev-bypass
const parties = process.env.NODE_ENV === 'production' ? ['https://app.example.com'] : ['http://localhost:5173']
app.use(clerkMiddleware({ authorizedParties: parties }))

function authenticate(req, res, next) {
  // ruleid: auth.dev-bypass
  if (process.env.NODE_ENV !== 'production') return next()
  return requireAuth()(req, res, next)
}

function debugUser(req, res, next) {
  // ruleid: auth.dev-bypass
  if (process.env.ALLOW_DEBUG_USER) {
    req.auth = { userId: req.headers['x-debug-user'] }
  }
  return requireAuth()(req, res, next)
}

function strict(req, res, next) {
  // ok: auth.dev-bypass
  if (process.env.NODE_ENV !== 'production') console.log('auth', req.path)
  // ok: auth.dev-bypass
  if (!process.env.CLERK_SECRET_KEY) return res.status(500).json({ error: 'not configured' })
  return requireAuth()(req, res, next)
}

module.exports = { app, authenticate, debugUser, strict }

function traced(req, res, next) {
  // ok: auth.dev-bypass
  if (process.env.NODE_ENV !== 'production') res.setHeader('x-debug-user', 'traced')
  return requireAuth()(req, res, next)
}
module.exports.traced = traced
