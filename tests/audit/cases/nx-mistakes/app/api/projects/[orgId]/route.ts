import { db } from '@/lib/db'
import { projects } from '@/lib/schema'
import { eq } from 'drizzle-orm'

export async function GET(_req: Request, { params }: { params: Promise<{ orgId: string }> }) {
  // ruleid: authz.tenant-id-from-request
  const { orgId } = await params
  // ruleid: nextjs.unguarded-route-handler
  const rows = await db.select().from(projects).where(eq(projects.orgId, orgId))
  return Response.json(rows)
}
