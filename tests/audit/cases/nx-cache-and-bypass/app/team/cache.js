'use cache'
import { currentUser } from '@clerk/nextjs/server'

export async function profile() {
  // ruleid: nextjs.cache-key-missing-user
  const user = await currentUser()
  return user?.firstName
}

// ok: nextjs.cache-key-missing-user
export async function greeting(name) {
  return `hello ${name}`
}
