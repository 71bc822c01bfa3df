import { ClerkProvider, Show, SignInButton, UserButton } from '@clerk/nextjs'

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        {/* ok: nextjs.core2-api */}
        <ClerkProvider>
          {/* ok: nextjs.core2-api */}
          <Show when="signed-in">
            <UserButton />
          </Show>
          <Show when="signed-out">
            <SignInButton />
          </Show>
          {children}
        </ClerkProvider>
      </body>
    </html>
  )
}
