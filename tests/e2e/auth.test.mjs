import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

describe('login and logout', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('a wrong password shows the server message and stays on the login page', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto('/admin/login')
    await page.getByLabel(/用户名|Username/).fill(logins.admin().username)
    await page.getByLabel(/^(密码|Password)$/).fill('definitely-not-the-password')
    await page.getByTestId('login-submit').click()
    const error = page.getByTestId('login-error')
    await error.waitFor()
    assert.notEqual((await error.textContent()).trim(), '')
    assert.match(page.url(), /\/admin\/login/)
    await screenshot(page, 'login-wrong-password')
    await context.close()
  })

  it('logs in, reaches the console, logs out, and the console then asks to log in again', async () => {
    const context = await newContext(browser)
    const page = await context.newPage()
    await page.goto('/admin/units')
    await page.waitForURL(/\/admin\/login\?redirect=/)

    await loginThroughUi(page, logins.admin())
    // The account's saved language applies after login, so accept either.
    await page.getByRole('menuitem', { name: /^(组织架构|Organisation)$/ }).waitFor()
    await screenshot(page, 'logged-in')

    await page.getByTestId('logout').click()
    await page.waitForURL(/\/admin\/login/)
    const session = await context.request.get('/api/v1/session')
    assert.equal(session.status(), 401)

    await page.goto('/admin/members')
    await page.waitForURL(/\/admin\/login\?redirect=/)
    await screenshot(page, 'logged-out')
    await context.close()
  })
})
