import { NextResponse } from 'next/server' // ruleid: nextjs.middleware-missing

export default function proxy() {
  return NextResponse.next()
}
