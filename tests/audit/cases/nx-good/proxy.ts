import { clerkMiddleware } from '@clerk/nextjs/server' // ok: nextjs.middleware-deprecated-name

// ok: js.authorized-parties-missing
export default clerkMiddleware({ authorizedParties: ['https://app.example.com'] })

export const config = {
  // ok: nextjs.matcher-incomplete
  matcher: [
    '/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)',
    '/(api|trpc)(.*)',
    '/__clerk/(.*)',
  ],
}
