import { auth } from '@clerk/nextjs/server'

// ruleid: requirements.m2m-route-accepts-sessions
export async function POST() {
  const { isAuthenticated } = await auth()
  if (!isAuthenticated) return new Response(null, { status: 401 })
  return Response.json({ synced: true })
}
