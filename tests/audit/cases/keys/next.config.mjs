const config = {
  env: {
    // ok: secrets.key-mismatch
    NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY: 'pk_live_Y2xlcmsuYWNtZS5jb20k',
  },
}

export default config
