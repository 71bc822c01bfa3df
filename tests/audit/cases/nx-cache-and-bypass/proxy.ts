import { clerkMiddleware } from '@clerk/nextjs/server'
import { NextResponse } from 'next/server'

const isDev = process.env.NODE_ENV !== 'production'
// ok: auth.dev-bypass
const authorizedParties = process.env.NODE_ENV === 'production' ? ['https://app.example.com'] : ['http://localhost:3000']

export default clerkMiddleware(async (auth, req) => {
  // ruleid: auth.dev-bypass
  if (isDev) return NextResponse.next()
  // ok: auth.dev-bypass
  if (process.env.NODE_ENV === 'development') console.log('checking', req.url)
  await auth.protect()
}, { authorizedParties })

export const config = {
  matcher: ['/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)', '/(api|trpc)(.*)', '/__clerk/(.*)'],
}
