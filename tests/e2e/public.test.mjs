import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, baseUrl, docsScreenshot, env, launchBrowser, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

describe('public site on a phone', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('the unit page shows the unit and its QR code, without the console code', async () => {
    const code = env('XF_SECRETARY_UNIT')
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    const requested = []
    page.on('request', (request) => requested.push(request.url()))
    const unit = await (await context.request.get(`/api/v1/units/${encodeURIComponent(code)}`)).json()

    await page.goto(`/u/${encodeURIComponent(code)}`)
    const name = page.getByTestId('unit-name')
    await name.waitFor()
    assert.equal((await name.textContent()).trim(), unit.name)
    const qr = page.getByTestId('unit-qr')
    await qr.waitFor()
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-testid="unit-qr"]')
      return img && img.complete && img.naturalWidth > 0
    })
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no sideways scrolling at 375 px')
    assert.deepEqual(requested.filter((url) => /AdminRoot|AdminShell|element-plus/i.test(url)), [], 'the public page loads no Element Plus')
    assert.deepEqual(requested.filter((url) => !url.startsWith(`${baseUrl()}/`)), [], 'everything comes from our own server')
    assert.ok(requested.some((url) => /\/assets\/vant-icon-[\w-]+\.woff2$/.test(url)), 'the icon font is served by our own server')
    await screenshot(page, 'public-unit-375')
    await docsScreenshot(page, 'public')

    await page.getByText('打印二维码海报').click()
    await page.getByText('扫码查看本单位公开承诺、提出问题、参与评议').waitFor()
    await screenshot(page, 'public-poster')
    await context.close()
  })

  it('the home page lists the top units and the language switch sticks', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    await page.goto('/')
    await page.getByTestId('public-unit-cell').first().waitFor()
    await page.getByTestId('lang-switch').click()
    await page.getByText('Strive for excellence, in the open').waitFor()
    await page.reload()
    await page.getByText('Strive for excellence, in the open').waitFor()
    await screenshot(page, 'public-home-en')
    await context.close()
  })

  it('a unit named <script>alert(1)</script> is shown as text and runs nothing', async () => {
    const adminContext = await newContext(browser)
    const admin = await apiSession(adminContext, logins.admin())
    // Next to the other branch, so the secretary's and the township's views stay as the demo made them.
    const branch = await (await admin.get(`/api/v1/units/${encodeURIComponent(env('XF_OTHER_UNIT'))}`)).json()
    const parent = branch.parent_chain.at(-1)
    assert.ok(parent, 'XF_OTHER_UNIT has a parent to create a sibling under')
    const hostile = '<script>alert(1)</script>'
    const code = `xss-${Date.now().toString(36)}`
    const created = await admin.post('/api/v1/admin/units', { code, name: hostile, kind: 'branch', field: 'rural', parent_code: parent.code, contact_name: '', contact_phone: '', address: '' })
    assert.ok(created.ok(), `creating the unit failed: ${created.status()} ${await created.text()}`)

    const context = await newContext(browser, phone)
    const page = await context.newPage()
    const dialogs = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    await page.goto(`/u/${code}`)
    const name = page.getByTestId('unit-name')
    await name.waitFor()
    assert.equal((await name.textContent()).trim(), hostile)
    assert.equal(await page.locator('main script').count(), 0)
    await page.waitForTimeout(500)
    assert.deepEqual(dialogs, [])
    await screenshot(page, 'public-unit-script-name')
    await context.close()
    await adminContext.close()
  })
})
