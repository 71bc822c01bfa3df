import { ClerkProvider } from '@clerk/nextjs'
import { useUser } from '@clerk/clerk-react' // ruleid: nextjs.core2-api

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    // ruleid: nextjs.core2-api
    <ClerkProvider>
      <html lang="en">
        <body>{children}</body>
      </html>
    </ClerkProvider>
  )
}
