import { ApiError } from '../api/client'
import { i18n } from '../i18n'

/** The text to show a user for a failed request: the server's own message, or "try again in N s" when throttled. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429 && error.retryAfterSeconds !== null) {
      return i18n.global.t('common.retryAfter', { seconds: error.retryAfterSeconds })
    }
    return error.message
  }
  return i18n.global.t('common.unexpectedResponse')
}

/** Field name → message, for highlighting the form items the server complained about. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {}
  return Object.fromEntries(error.fields.filter((f) => f.row == null).map((f) => [f.field, f.message]))
}
