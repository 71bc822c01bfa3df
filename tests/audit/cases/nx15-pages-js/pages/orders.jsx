import prisma from '../lib/prisma'

export async function getServerSideProps() {
  // ruleid: nextjs.unguarded-page
  const orders = await prisma.order.findMany()
  return { props: { orders } }
}

export default function Orders({ orders }) {
  return <ul>{orders.map((o) => <li key={o.id}>{o.total}</li>)}</ul>
}
