// ok: audit.parse-error
export const answer: number = 42
