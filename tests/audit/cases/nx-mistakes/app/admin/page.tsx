import { auth } from '@clerk/nextjs/server'
import { Show, SignedIn } from '@clerk/nextjs'
import { currentUser } from '@clerk/nextjs/server'
import { deleteAllProjects } from './actions'

export default async function Admin() {
  const user = await currentUser()
  const { has } = await auth()
  // ruleid: authz.unsafe-metadata-role
  const isAdmin = user?.unsafeMetadata.role === 'admin'
  // ruleid: authz.system-permission-check
  const canManage = has({ permission: 'org:sys_memberships:manage' })
  return (
    <div>
      {/* ruleid: nextjs.core2-api */}
      <SignedIn>
        <p>{isAdmin && canManage ? 'admin' : 'member'}</p>
      </SignedIn>
      <Show when={{ role: 'org:admin' }}>
        {/* ruleid: nextjs.show-only-gate */}
        <form action={deleteAllProjects}>
          <button type="submit">Delete everything</button>
        </form>
      </Show>
    </div>
  )
}
