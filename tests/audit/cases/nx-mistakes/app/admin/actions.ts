'use server'

import { db } from '@/lib/db'
import { projects } from '@/lib/schema'

export async function deleteAllProjects() {
  // ruleid: nextjs.unguarded-server-action
  await db.delete(projects)
}
