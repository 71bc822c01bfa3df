import { auth } from '@clerk/nextjs/server'

// ok: requirements.m2m-route-accepts-sessions
export async function GET() {
  const { isAuthenticated, subject } = await auth({ acceptsToken: 'm2m_token' })
  if (!isAuthenticated) return new Response(null, { status: 401 })
  return Response.json({ machine: subject })
}
