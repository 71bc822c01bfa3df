import { prisma } from '@/lib/db'

export default async function Dashboard() {
  const stats = await prisma.deal.groupBy({ by: ['stage'], _count: true }) // ruleid: nextjs.unguarded-page
  return <pre>{JSON.stringify(stats)}</pre>
}
