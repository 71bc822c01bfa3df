import { auth } from '@clerk/nextjs/server'

export async function POST() {
  // ruleid: js.accepts-token-any
  const { isAuthenticated } = await auth({ acceptsToken: 'any' })
  if (!isAuthenticated) return new Response(null, { status: 401 })
  return Response.json({ synced: true })
}

export async function GET() {
  // ruleid: js.accepts-token-any
  const result = await auth({ acceptsToken: ['session_token', 'api_key'] })
  return Response.json({ subject: result.isAuthenticated })
}
