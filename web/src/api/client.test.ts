import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ApiError, NETWORK_ERROR, UNEXPECTED_RESPONSE, api, apiUrl, errorFromResponse, setClientLanguage, setCsrfToken } from './client'

interface Captured {
  url: string
  init: RequestInit
}

function answer(status: number, body: string, headers: Record<string, string> = {}) {
  const captured: Captured[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      captured.push({ url, init })
      return new Response(status === 204 ? null : body, { status, headers })
    }),
  )
  return captured
}

describe('api client', () => {
  beforeEach(() => {
    setCsrfToken('token-123')
    setClientLanguage('en')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('builds URLs under /api/v1 and drops empty query values', () => {
    expect(apiUrl('/units', { parent: 'a b', q: '', page: 2, x: undefined })).toBe('/api/v1/units?parent=a+b&page=2')
    expect(apiUrl('/units')).toBe('/api/v1/units')
  })

  it('sends the CSRF token and language on a POST with a JSON body', async () => {
    const calls = answer(200, '{"ok":true}')
    await expect(api.post('/admin/units', { name: 'x' })).resolves.toEqual({ ok: true })
    const headers = calls[0].init.headers as Record<string, string>
    expect(headers['X-CSRF-Token']).toBe('token-123')
    expect(headers['Accept-Language']).toBe('en')
    expect(headers['Content-Type']).toBe('application/json')
    expect(calls[0].init.body).toBe('{"name":"x"}')
  })

  it('does not send the CSRF token on a GET', async () => {
    const calls = answer(200, '{}')
    await api.get('/units')
    expect((calls[0].init.headers as Record<string, string>)['X-CSRF-Token']).toBeUndefined()
  })

  it('returns undefined for 204 No Content', async () => {
    answer(204, '')
    await expect(api.delete('/session')).resolves.toBeUndefined()
  })

  it('turns the server error body into an ApiError with its fields', async () => {
    answer(400, JSON.stringify({ error: { code: 'invalid_argument', message: 'Name is required', fields: [{ field: 'name', message: 'Name is required', row: 3 }] } }))
    const error = await api.post('/admin/units', {}).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    const apiError = error as ApiError
    expect(apiError.status).toBe(400)
    expect(apiError.code).toBe('invalid_argument')
    expect(apiError.message).toBe('Name is required')
    expect(apiError.fields).toEqual([{ field: 'name', message: 'Name is required', row: 3 }])
    expect(apiError.fieldMessage('name')).toBe('Name is required')
    expect(apiError.fieldMessage('code')).toBeUndefined()
  })

  it('reads Retry-After on 429', async () => {
    answer(429, JSON.stringify({ error: { code: 'rate_limited', message: 'slow down', fields: [] } }), { 'Retry-After': '42' })
    const error = (await api.post('/session', {}).catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(429)
    expect(error.retryAfterSeconds).toBe(42)
  })

  it('marks 401 and 404 answers', async () => {
    answer(404, JSON.stringify({ error: { code: 'not_found', message: 'not found', fields: [] } }))
    const notFound = (await api.get('/admin/units/x').catch((e: unknown) => e)) as ApiError
    expect(notFound.isNotFound).toBe(true)
    expect(notFound.isUnauthenticated).toBe(false)
  })

  it('gives a generic error for a non-JSON error page', () => {
    const error = errorFromResponse(502, '<html>Bad gateway</html>', null)
    expect(error.status).toBe(502)
    expect(error.code).toBe(UNEXPECTED_RESPONSE)
    expect(error.retryAfterSeconds).toBeNull()
  })

  it('gives a network error when fetch itself fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))))
    const error = (await api.get('/units').catch((e: unknown) => e)) as ApiError
    expect(error.status).toBe(0)
    expect(error.code).toBe(NETWORK_ERROR)
  })
})
