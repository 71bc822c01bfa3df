import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export default async function Dashboard() {
  const { orgId, has } = await auth.protect()
  // ok: authz.system-permission-check
  const canManage = has({ permission: 'org:projects:manage' })
  // ok: nextjs.unguarded-page
  const projects = await db.project.findMany({ where: { orgId } })
  return <ul>{projects.map((p) => <li key={p.id}>{p.name} {canManage ? 'edit' : ''}</li>)}</ul>
}
