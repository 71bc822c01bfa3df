import { clerkMiddleware } from '@clerk/nextjs/server' // ruleid: nextjs.middleware-not-loaded

export default clerkMiddleware({ authorizedParties: ['https://x.example.com'] })
