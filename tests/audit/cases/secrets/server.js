const { createClerkClient } = require('@clerk/backend')

// ruleid: secrets.hardcoded-key
const clerk = createClerkClient({ secretKey: 'sk_test_Kx8fP2qLmN4vR7tY1wZ3bC6dE9gH0jA5' })
// ok: secrets.hardcoded-key
const fromEnv = createClerkClient({ secretKey: process.env.CLERK_SECRET_KEY })

module.exports = { clerk, fromEnv }
