'use server'

import { auth } from '@clerk/nextjs/server'
import { db } from '@/lib/db'

export async function archiveProject(formData: FormData) {
  const { orgId } = await auth.protect({ permission: 'org:projects:manage' })
  // ok: nextjs.unguarded-server-action
  await db.project.update({ where: { id: String(formData.get('id')), orgId }, data: { archived: true } })
}
