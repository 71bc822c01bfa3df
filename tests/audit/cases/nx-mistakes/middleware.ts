import { clerkMiddleware, createRouteMatcher } from '@clerk/nextjs/server' // ruleid: nextjs.middleware-deprecated-name

const isProtectedRoute = createRouteMatcher(['/dashboard(.*)', '/reports(.*)', '/api(.*)'])

// ruleid: js.authorized-parties-missing
export default clerkMiddleware(async (auth, req) => {
  // ruleid: nextjs.deny-list-gating, webhook.gated-by-middleware
  if (isProtectedRoute(req)) await auth.protect()
})

export const config = {
  // ruleid: nextjs.matcher-incomplete
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)'],
}
