import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError, setCsrfToken } from '../../api/client'
import { applyLanguage, isLanguage } from '../../i18n'
import { meApi, sessionApi } from './api'
import type { Language } from '../../i18n'
import type { SessionResponse, SessionUser } from './types'

export const useSessionStore = defineStore('session', () => {
  const user = ref<SessionUser | null>(null)
  /** Whether GET /session has answered once, so guards ask only once per page load. */
  const checked = ref(false)

  const loggedIn = computed(() => user.value !== null)
  const grants = computed(() => user.value?.roles ?? [])

  function adopt(session: SessionResponse): void {
    user.value = session.user
    setCsrfToken(session.csrf_token)
    checked.value = true
  }

  function forget(): void {
    user.value = null
    setCsrfToken('')
    checked.value = true
  }

  /** Asks the server who is logged in; a 401 simply means nobody. */
  async function refresh(): Promise<void> {
    try {
      adopt(await sessionApi.current())
    } catch (error) {
      if (error instanceof ApiError && error.isUnauthenticated) forget()
      else throw error
    }
  }

  async function ensureChecked(): Promise<void> {
    if (!checked.value) await refresh()
  }

  async function login(username: string, password: string): Promise<void> {
    adopt(await sessionApi.login(username, password))
    if (isLanguage(user.value?.lang)) applyLanguage(user.value.lang)
  }

  async function logout(): Promise<void> {
    try {
      await sessionApi.logout()
    } finally {
      forget()
    }
  }

  /** Switches the interface language and, when logged in, saves it to the account. */
  async function chooseLanguage(language: Language): Promise<void> {
    applyLanguage(language)
    if (!user.value) return
    await meApi.update({ lang: language })
    user.value = { ...user.value, lang: language }
  }

  function renamed(displayName: string): void {
    if (user.value) user.value = { ...user.value, display_name: displayName }
  }

  return { user, checked, loggedIn, grants, refresh, ensureChecked, login, logout, chooseLanguage, renamed }
})
