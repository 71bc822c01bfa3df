import { db } from '@/lib/db'

export async function GET() {
  // ok: audit.suppression-invalid
  // clerk-advisor: ignore nextjs.unguarded-route-handler -- the public product catalogue, no user data
  const products = await db.product.findMany()
  return Response.json(products)
}
