import { SignedIn } from '@clerk/nextjs'
import { currentUser } from '@clerk/nextjs/server'
import { prisma } from '@/lib/db'
import { closeDeal } from './actions'

export default async function Deals() {
  const user = await currentUser()
  const deals = await prisma.deal.findMany({ where: { ownerId: user?.id } })
  const isManager = user?.unsafeMetadata?.role === 'sales-manager' // ruleid: authz.unsafe-metadata-role
  return (
    <SignedIn>
      <ul>
        {deals.map((deal) => (
          <li key={deal.id}>
            {deal.title}
            {isManager && (
              <form action={closeDeal}>
                <input type="hidden" name="id" value={deal.id} />
                <button type="submit">Close</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </SignedIn>
  )
}
