export function ok() {
  return 1
}

// ruleid: audit.parse-error
export function broken( {
  return = 2
}
