// Shared set-up for the browser tests: Debian's Chromium driven by
// playwright-core (installed with the web app's dev dependencies, so no
// browser is ever downloaded), the server and demo logins from the
// environment that scripts/test sets, and small helpers.
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const here = dirname(fileURLToPath(import.meta.url))
const requireFromWeb = createRequire(join(here, '../../web/package.json'))
const { chromium } = requireFromWeb('playwright-core')

export const repoRoot = join(here, '../..')
const screenshotDir = join(here, 'screenshots')
const docsScreenshotDir = join(repoRoot, 'docs/screenshots')

/** A required environment variable; a clear failure instead of a confusing one later. */
export function env(name) {
  const value = process.env[name]
  if (!value) throw new Error(`Set ${name} (scripts/test starts a demo server and sets the XF_* variables)`)
  return value
}

export function baseUrl() {
  return env('XF_BASE_URL').replace(/\/$/, '')
}

/** The demo county's logins share one password (XF_DEMO_PASSWORD) unless one is given per login. */
function demoPassword(name) {
  return process.env[name] || env('XF_DEMO_PASSWORD')
}

export const logins = {
  admin: () => ({ username: env('XF_ADMIN_USER'), password: env('XF_ADMIN_PASSWORD') }),
  township: () => ({ username: env('XF_TOWNSHIP_USER'), password: demoPassword('XF_TOWNSHIP_PASSWORD') }),
  secretary: () => ({ username: env('XF_SECRETARY_USER'), password: demoPassword('XF_SECRETARY_PASSWORD') }),
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.XF_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  })
}

/** A fresh context (own cookies) on the server, in Chinese unless told otherwise. */
export async function newContext(browser, options = {}) {
  return browser.newContext({ baseURL: baseUrl(), locale: 'zh-CN', acceptDownloads: true, ...options })
}

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true })
  await page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true })
}

/**
 * The README's screenshots, taken by the tests so they show the real app.
 * They replace docs/screenshots/ only with XF_UPDATE_DOCS_SCREENSHOTS=1, so
 * an ordinary test run leaves the checkout clean.
 */
export async function docsScreenshot(page, name) {
  const dir = process.env.XF_UPDATE_DOCS_SCREENSHOTS === '1' ? docsScreenshotDir : screenshotDir
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false })
}

/** Logs in through the console's login page and waits for the console. */
export async function loginThroughUi(page, { username, password }) {
  await page.goto('/admin/login')
  await page.getByLabel(/用户名|Username/).fill(username)
  await page.getByLabel(/^(密码|Password)$/).fill(password)
  await page.getByTestId('login-submit').click()
  await page.getByTestId('current-user').waitFor()
}

/**
 * An API session in this context (sharing its cookies with its pages): logs
 * in and returns helpers that send the CSRF token and a same-origin Origin.
 */
export async function apiSession(context, { username, password }) {
  const origin = baseUrl()
  const login = await context.request.post('/api/v1/session', { data: { username, password }, headers: { Origin: origin } })
  if (!login.ok()) throw new Error(`API login as ${username} failed: ${login.status()} ${await login.text()}`)
  const { csrf_token: csrf, user } = await login.json()
  const headers = { Origin: origin, 'X-CSRF-Token': csrf, 'Accept-Language': 'zh-CN' }
  return {
    user,
    get: (path) => context.request.get(path, { headers }),
    post: (path, data) => context.request.post(path, { data, headers }),
    patch: (path, data) => context.request.patch(path, { data, headers }),
  }
}
