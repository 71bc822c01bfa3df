export const db = {
  invoice: { findMany: async (_q: unknown) => [] as unknown[] },
  plan: { findMany: async () => [] as unknown[] },
}
