import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  // ok: nextjs.auth-not-awaited
  const { isAuthenticated, userId, orgId } = await auth()
  if (!isAuthenticated) return Response.json({ error: 'unauthenticated' }, { status: 401 })
  // ok: authz.tenant-id-from-request
  const { orgId: requested } = await params
  if (requested !== orgId) return Response.json({ error: 'forbidden' }, { status: 403 })
  // ok: nextjs.unguarded-route-handler
  const projects = await db.project.findMany({ where: { orgId, ownerId: userId } })
  return Response.json(projects)
}
