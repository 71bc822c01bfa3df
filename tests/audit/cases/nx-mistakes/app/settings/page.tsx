import { auth } from '@clerk/nextjs/server'

export default async function Settings() {
  // ruleid: nextjs.auth-not-awaited
  const { userId } = auth()
  return <p>{userId}</p>
}
