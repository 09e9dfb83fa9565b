// The browser's own random token for rating commitments without an account
// (the server keeps only its SHA-256, one rating per token and commitment),
// and which commitments this browser has already rated, so that the board
// shows the choice instead of a form that would be refused.

const TOKEN_KEY = 'xf.commitments.token'
const RATED_KEY = 'xf.commitments.rated'

function randomToken(): string {
  const bytes = new Uint8Array(16)
  crypto.getRandomValues(bytes)
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** This browser's token (32 hex characters), made and kept on first use. */
export function ratingToken(storage: Storage = localStorage): string {
  try {
    const kept = storage.getItem(TOKEN_KEY)
    if (kept && kept.length >= 16) return kept
    const token = randomToken()
    storage.setItem(TOKEN_KEY, token)
    return token
  } catch {
    // Private mode or a full storage: a token for this page view only.
    return randomToken()
  }
}

function readRated(storage: Storage): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(RATED_KEY) ?? '{}')
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

export function rememberRating(commitmentId: string, rating: string, storage: Storage = localStorage): void {
  try {
    storage.setItem(RATED_KEY, JSON.stringify({ ...readRated(storage), [commitmentId]: rating }))
  } catch {
    // Nothing to do: the server still refuses a second rating with 409.
  }
}

export function ratedAs(commitmentId: string, storage: Storage = localStorage): string | null {
  const rating = readRated(storage)[commitmentId]
  return typeof rating === 'string' && rating ? rating : null
}
