// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { useSessionStore } from './session-store'
import { applyLanguage, currentLanguage } from '../../i18n'

const sessionBody = {
  csrf_token: 'csrf-abc',
  user: { id: '7', username: 'li', display_name: '李', lang: 'zh-CN', roles: [] },
}

interface Call {
  url: string
  method: string
  headers: Record<string, string>
  body?: string
}

function serverAnswering(status: (call: Call) => number, body: unknown) {
  const calls: Call[] = []
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const call = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined }
      calls.push(call)
      const code = status(call)
      return new Response(code === 204 ? null : JSON.stringify(body), { status: code })
    }),
  )
  return calls
}

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    localStorage.clear()
    applyLanguage('zh-CN')
  })
  afterEach(() => {
    vi.unstubAllGlobals()
  })

  it('a 401 from GET /session means nobody is logged in', async () => {
    serverAnswering(() => 401, { error: { code: 'unauthenticated', message: '请先登录', fields: [] } })
    const session = useSessionStore()
    await session.ensureChecked()
    expect(session.checked).toBe(true)
    expect(session.loggedIn).toBe(false)
  })

  it('switching language when logged out is remembered on the device only', async () => {
    const calls = serverAnswering(() => 200, {})
    await useSessionStore().chooseLanguage('en')
    expect(currentLanguage()).toBe('en')
    expect(localStorage.getItem('xf.lang')).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(calls).toEqual([])
  })

  it('switching language when logged in is saved to the account with the CSRF token', async () => {
    const calls = serverAnswering(() => 200, sessionBody)
    const session = useSessionStore()
    await session.login('li', 'secret-password')
    await session.chooseLanguage('en')
    const patch = calls.find((c) => c.method === 'PATCH')
    expect(patch?.url).toBe('/api/v1/me')
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({ lang: 'en' })
    expect(patch?.headers['X-CSRF-Token']).toBe('csrf-abc')
    expect(patch?.headers['Accept-Language']).toBe('en')
    expect(session.user?.lang).toBe('en')
  })

  it('logging in applies the language saved on the account', async () => {
    serverAnswering(() => 200, { ...sessionBody, user: { ...sessionBody.user, lang: 'en' } })
    await useSessionStore().login('li', 'secret-password')
    expect(currentLanguage()).toBe('en')
  })

  it('logging out forgets the user and the CSRF token even if the server call fails', async () => {
    const calls = serverAnswering((call) => (call.method === 'DELETE' ? 500 : 200), sessionBody)
    const session = useSessionStore()
    await session.login('li', 'secret-password')
    await expect(session.logout()).rejects.toBeTruthy()
    expect(session.loggedIn).toBe(false)
    await session.chooseLanguage('zh-CN')
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([])
  })
})
