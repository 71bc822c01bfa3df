import { clerkMiddleware } from '@clerk/nextjs/server'

export default clerkMiddleware({
  authorizedParties: ['https://ops.example.com'],
  // ruleid: requirements.pending-sessions-accepted
  treatPendingAsSignedOut: false,
})
