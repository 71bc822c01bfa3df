import { getAuth, buildClerkProps } from '@clerk/nextjs/server'
import prisma from '../lib/prisma'

export async function getServerSideProps(ctx) {
  const { userId } = getAuth(ctx.req)
  if (!userId) return { redirect: { destination: '/sign-in', permanent: false } }
  // ok: nextjs.unguarded-page
  const account = await prisma.account.findUnique({ where: { userId } })
  return { props: { account, ...buildClerkProps(ctx.req) } }
}

export default function Account({ account }) {
  return <p>{account.plan}</p>
}
