import { db } from '@/lib/db'

export async function GET() {
  // ruleid: audit.suppression-invalid
  // clerk-advisor: ignore nextjs.unguarded-route-handler
  // ruleid: nextjs.unguarded-route-handler
  const orders = await db.order.findMany()
  return Response.json(orders)
}

export async function DELETE() {
  // ruleid: audit.suppression-invalid
  // clerk-advisor: ignore nextjs.no-such-check -- typo in the id
  // ruleid: nextjs.unguarded-route-handler
  await db.order.deleteMany()
  return new Response(null, { status: 204 })
}
