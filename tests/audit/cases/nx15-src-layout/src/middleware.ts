import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server' // ok: nextjs.middleware-not-loaded, nextjs.middleware-deprecated-name

const isPublicRoute = createRouteMatcher(['/', '/sign-in(.*)', '/api/webhooks(.*)'])
const options = { authorizedParties: ['https://src.example.com'] }

// ok: js.authorized-parties-missing
export default clerkMiddleware(async (auth, req) => {
  // ok: nextjs.deny-list-gating, webhook.gated-by-middleware
  if (!isPublicRoute(req)) await auth.protect()
}, options)
