import { auth } from '@clerk/nextjs/server'

export async function GET() {
  // ok: js.accepts-token-any
  const result = await auth({ acceptsToken: ['session_token', 'api_key'] })
  if (!result.isAuthenticated) return new Response(null, { status: 401 })
  if (result.tokenType === 'api_key') return Response.json({ key: result.id })
  return Response.json({ user: result.userId })
}
