import { TaskChooseOrganization } from '@clerk/nextjs'
import { auth } from '@clerk/nextjs/server'

// The session-task page itself must accept pending sessions.
export default async function ChooseOrganization() {
  // ok: requirements.pending-sessions-accepted
  const { userId, redirectToSignIn } = await auth({ treatPendingAsSignedOut: false })
  if (!userId) return redirectToSignIn()
  return <TaskChooseOrganization redirectUrlComplete="/dashboard" />
}
