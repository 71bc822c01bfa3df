import { db } from '@/lib/db'
import { reports } from '@/lib/schema'

export default async function Reports() {
  // ruleid: nextjs.unguarded-page
  const rows = await db.select().from(reports)
  return <pre>{JSON.stringify(rows)}</pre>
}
