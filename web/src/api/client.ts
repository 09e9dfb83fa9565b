// The one way the app talks to the server: JSON under /api/v1, the chosen
// language in Accept-Language, the session's CSRF token on every
// state-changing request, and every failure turned into an ApiError whose
// message is already in the user's language (the server writes it).

export interface FieldError {
  field: string
  message: string
  row?: number
}

export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly fields: FieldError[]
  /** Seconds to wait before retrying, from a 429's or 503's Retry-After header. */
  readonly retryAfterSeconds: number | null

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], retryAfterSeconds: number | null = null) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.fields = fields
    this.retryAfterSeconds = retryAfterSeconds
  }

  get isNotFound(): boolean {
    return this.status === 404
  }

  get isUnauthenticated(): boolean {
    return this.status === 401
  }

  /** The message of the first error about `field`, for highlighting a form item. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message
  }
}

/** Codes used for failures that never reached the server's JSON error body. */
export const NETWORK_ERROR = 'network_error'
export const UNEXPECTED_RESPONSE = 'unexpected_response'

const API_PREFIX = '/api/v1'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

const clientState = {
  csrfToken: '',
  language: 'zh-CN',
  /** Messages for failures without a server message, set from i18n. */
  fallbackMessage: (code: string): string => code,
}

export function setCsrfToken(token: string): void {
  clientState.csrfToken = token
}

export function setClientLanguage(language: string): void {
  clientState.language = language
}

export function setFallbackMessages(messageFor: (code: string) => string): void {
  clientState.fallbackMessage = messageFor
}

export function apiUrl(path: string, query?: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const qs = search.toString()
  return `${API_PREFIX}${path}${qs ? `?${qs}` : ''}`
}

export function requestHeaders(method: string, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': clientState.language,
  }
  if (contentType) headers['Content-Type'] = contentType
  if (!SAFE_METHODS.has(method.toUpperCase()) && clientState.csrfToken) {
    headers['X-CSRF-Token'] = clientState.csrfToken
  }
  return headers
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null
  const seconds = Number.parseInt(value, 10)
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : null
}

/** Builds the ApiError for a non-2xx answer from its status, headers and body text. */
export function errorFromResponse(status: number, bodyText: string, retryAfterHeader: string | null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader)
  try {
    const body = JSON.parse(bodyText) as { error?: { code?: string; message?: string; fields?: FieldError[] } }
    if (body.error && typeof body.error.message === 'string') {
      return new ApiError(status, body.error.code ?? 'error', body.error.message, body.error.fields ?? [], retryAfter)
    }
  } catch {
    // Not JSON (a proxy's error page, say): fall through to the generic message.
  }
  return new ApiError(status, UNEXPECTED_RESPONSE, clientState.fallbackMessage(UNEXPECTED_RESPONSE), [], retryAfter)
}

export type Query = Record<string, string | number | undefined | null>

export async function apiRequest<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
  const hasBody = options.body !== undefined
  let response: Response
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers: requestHeaders(method, hasBody ? 'application/json' : undefined),
      body: hasBody ? JSON.stringify(options.body) : undefined,
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError(0, NETWORK_ERROR, clientState.fallbackMessage(NETWORK_ERROR))
  }
  const text = await response.text()
  if (!response.ok) throw errorFromResponse(response.status, text, response.headers.get('Retry-After'))
  if (!text) return undefined as T
  try {
    return JSON.parse(text) as T
  } catch {
    throw new ApiError(response.status, UNEXPECTED_RESPONSE, clientState.fallbackMessage(UNEXPECTED_RESPONSE))
  }
}

export const api = {
  get: <T>(path: string, query?: Query) => apiRequest<T>('GET', path, { query }),
  post: <T>(path: string, body?: unknown, query?: Query) => apiRequest<T>('POST', path, { body: body ?? {}, query }),
  patch: <T>(path: string, body: unknown) => apiRequest<T>('PATCH', path, { body }),
  delete: <T>(path: string) => apiRequest<T>('DELETE', path),
}

/**
 * Sends a file as the raw request body with upload progress (fetch cannot
 * report upload progress, XMLHttpRequest can). `onProgress` gets 0..100.
 */
export function uploadFile<T>(path: string, query: Query, file: Blob, contentType: string, onProgress: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', apiUrl(path, query))
    for (const [name, value] of Object.entries(requestHeaders('POST', contentType))) xhr.setRequestHeader(name, value)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(Math.round((event.loaded / event.total) * 100))
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(100)
        try {
          resolve(JSON.parse(xhr.responseText) as T)
        } catch {
          reject(new ApiError(xhr.status, UNEXPECTED_RESPONSE, clientState.fallbackMessage(UNEXPECTED_RESPONSE)))
        }
      } else {
        reject(errorFromResponse(xhr.status, xhr.responseText, xhr.getResponseHeader('Retry-After')))
      }
    }
    xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, clientState.fallbackMessage(NETWORK_ERROR)))
    xhr.send(file)
  })
}
