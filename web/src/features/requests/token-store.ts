// Tracking tokens of the problems this browser reported without an account,
// kept in localStorage so that the reporter can confirm or reopen later.
// The server shows a token once; losing it here means only the link kept by
// the reporter still works.

const STORAGE_KEY = 'xf.requests.tokens'

type TokenMap = Record<string, string>

function read(storage: Storage): TokenMap {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(STORAGE_KEY) ?? '{}')
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as TokenMap) : {}
  } catch {
    return {}
  }
}

export function saveToken(problemId: string, token: string, storage: Storage = localStorage): void {
  try {
    storage.setItem(STORAGE_KEY, JSON.stringify({ ...read(storage), [problemId]: token }))
  } catch {
    // Private mode or a full storage: the page still shows the token to copy.
  }
}

export function tokenFor(problemId: string, storage: Storage = localStorage): string | null {
  const token = read(storage)[problemId]
  return typeof token === 'string' && token ? token : null
}

/** The problem page's address that carries the token (in the fragment, which is never sent to the server or its logs). */
export function trackingLink(origin: string, problemId: string, token: string): string {
  return `${origin}/r/${encodeURIComponent(problemId)}#t=${encodeURIComponent(token)}`
}

/** The token from a tracking link's fragment ("#t=…"), if any. */
export function tokenFromHash(hash: string): string | null {
  const match = /^#?t=([^&]+)/.exec(hash)
  return match ? decodeURIComponent(match[1]) : null
}
