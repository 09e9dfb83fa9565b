import { createI18n } from 'vue-i18n'
import zhCN, { type MessageSchema } from './zh-CN'
import en from './en'
import { setClientLanguage, setFallbackMessages, NETWORK_ERROR, UNEXPECTED_RESPONSE } from '../api/client'

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'zh-CN'
const STORAGE_KEY = 'xf.lang'

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
}

function storedLanguage(): Language {
  try {
    const value = localStorage.getItem(STORAGE_KEY)
    return isLanguage(value) ? value : DEFAULT_LANGUAGE
  } catch {
    return DEFAULT_LANGUAGE
  }
}

export const i18n = createI18n<[MessageSchema], Language, false>({
  legacy: false,
  locale: storedLanguage(),
  fallbackLocale: DEFAULT_LANGUAGE,
  messages: { 'zh-CN': zhCN, en },
})

const fallbackKeys: Record<string, string> = {
  [NETWORK_ERROR]: 'common.networkError',
  [UNEXPECTED_RESPONSE]: 'common.unexpectedResponse',
}
setFallbackMessages((code) => i18n.global.t(fallbackKeys[code] ?? 'common.unexpectedResponse'))

export function currentLanguage(): Language {
  return i18n.global.locale.value
}

/** Applies a language to the UI, the API client and the page, and remembers it on this device. */
export function applyLanguage(language: Language): void {
  i18n.global.locale.value = language
  setClientLanguage(language)
  document.documentElement.lang = language
  try {
    localStorage.setItem(STORAGE_KEY, language)
  } catch {
    // Private mode may refuse storage; the choice then lasts for this page only.
  }
}
