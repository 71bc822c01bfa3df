import { Show } from '@clerk/nextjs'
import { auth } from '@clerk/nextjs/server'
import { archiveProject } from './actions'

export default async function Projects() {
  await auth.protect()
  return (
    <Show when={{ permission: 'org:projects:manage' }}>
      {/* ok: nextjs.show-only-gate */}
      <form action={archiveProject}>
        <button type="submit">Archive</button>
      </form>
    </Show>
  )
}
