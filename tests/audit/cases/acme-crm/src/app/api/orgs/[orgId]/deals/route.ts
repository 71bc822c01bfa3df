import { auth } from '@clerk/nextjs/server'
import { prisma } from '@/lib/db'

export async function GET(req: Request, { params }: { params: { orgId: string } }) {
  const { userId } = auth() // ruleid: nextjs.auth-not-awaited
  if (!userId) return new Response(null, { status: 401 })
  const deals = await prisma.deal.findMany({ where: { orgId: params.orgId } }) // ruleid: authz.tenant-id-from-request
  return Response.json(deals)
}
