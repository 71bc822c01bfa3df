import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server'

// Everything under these paths needs a signed-in user.
const isProtectedRoute = createRouteMatcher([
  '/dashboard(.*)',
  '/deals(.*)',
  '/api(.*)',
])

export default clerkMiddleware(async (auth, req) => { // ruleid: js.authorized-parties-missing
  if (isProtectedRoute(req)) await auth.protect() // ruleid: nextjs.deny-list-gating, webhook.gated-by-middleware
})

export const config = {
  matcher: [ // ruleid: nextjs.matcher-incomplete
    '/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',
    '/(api|trpc)(.*)',
  ],
}
