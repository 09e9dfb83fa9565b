// Public evaluation rounds from a phone: the admin issues a small batch of
// ballot codes for the demo county's open round over the API (the demo's own
// printed codes are not passed to this environment), a voter opens
// /v/<code> at 375 px, grades every criterion, submits, reads the receipt
// and checks it on the round's public page; the same code again gets the
// "already used" message. Then the published round shows its results, and
// the console shows the open round's participation and issues codes on screen.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

/** The demo county's rounds as the admin sees them. */
async function rounds(admin) {
  const answer = await admin.get('/api/v1/admin/evaluation-rounds')
  assert.equal(answer.status(), 200, await answer.text())
  return (await answer.json()).items
}

async function issueCodes(admin, roundId, unitCode, count) {
  const answer = await admin.post(`/api/v1/admin/evaluation-rounds/${roundId}/codes`, { unit_code: unitCode, class: 'residents', count })
  assert.equal(answer.status(), 201, await answer.text())
  return (await answer.json()).codes
}

/** The page fits the phone: nothing wider than the viewport. */
async function assertFitsPhone(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= phone.viewport.width, `page is ${width}px wide on a ${phone.viewport.width}px phone`)
}

describe('public evaluation rounds on a phone', () => {
  let browser
  let openRound
  let publishedRound
  let codes

  before(async () => {
    browser = await launchBrowser()
    const context = await newContext(browser)
    const admin = await apiSession(context, logins.admin())
    const all = await rounds(admin)
    openRound = all.find((r) => r.state === 'open')
    publishedRound = all.find((r) => r.state === 'published')
    assert.ok(openRound && publishedRound, 'the demo county has an open and a published round')
    codes = await issueCodes(admin, openRound.id, env('XF_SECRETARY_UNIT'), 2)
    await context.close()
  })
  after(async () => {
    await browser?.close()
  })

  it('casts a ballot with a code, shows the receipt and finds it on the round page', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    await page.goto(`/v/${codes[0]}`)
    await page.getByTestId('ballot-round').getByText(openRound.name).waitFor()
    const criteria = openRound.criteria.length
    await page.getByTestId('ballot-missing').getByText(`还有 ${criteria} 项未评议`).waitFor()
    assert.ok(await page.getByTestId('ballot-submit').isDisabled(), 'a partial ballot cannot be submitted')
    for (let i = 0; i < criteria; i++) await page.getByTestId(`grade-${i}-${i === 1 ? 'basically_satisfied' : 'satisfied'}`).click()
    await assertFitsPhone(page)
    await screenshot(page, 'ballot-phone')

    await page.getByTestId('ballot-submit').click()
    const receipt = (await page.getByTestId('receipt-value').textContent()).trim()
    assert.match(receipt, /^[0-9a-f]{64}$/)
    await screenshot(page, 'ballot-receipt-phone')

    await page.getByTestId('receipt-check-link').click()
    await page.getByTestId('round-name').getByText(openRound.name).waitFor()
    await page.getByTestId('receipt-counted').getByText('这张选票已计入').waitFor()
    await page.getByTestId('receipt-counted').getByText('党员队伍好:基本满意').waitFor()
    await page.getByTestId('round-state').getByText('投票中').waitFor()
    // While open, participation only: no satisfaction column.
    assert.equal(await page.getByTestId('round-table').getByText('满意率').count(), 0)
    await page.getByTestId('evaluation-chart').locator('svg').waitFor()
    await assertFitsPhone(page)
    await screenshot(page, 'evaluation-open-phone')

    // A mistyped receipt is not found.
    await page.getByTestId('receipt-input').locator('input').fill('0'.repeat(64))
    await page.getByRole('button', { name: '核验', exact: true }).click()
    await page.getByTestId('receipt-error').getByText('没有找到这个回执码').waitFor()
    await context.close()
  })

  it('answers a used code and a mistyped code with clear messages', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    await page.goto(`/v/${codes[0]}`)
    await page.getByTestId('ballot-error').getByText('已经投过票').waitFor()

    // Typing from the slip: lower case and spaces are fine, a wrong symbol is caught.
    await page.goto('/v')
    const wrong = codes[1].slice(0, -1) + (codes[1].endsWith('0') ? '1' : '0')
    await page.getByTestId('ballot-code').locator('input').fill(wrong.toLowerCase())
    await page.getByTestId('ballot-open').click()
    await page.getByTestId('ballot-error').getByText('选票码无效').waitFor()
    await page.getByTestId('ballot-code').locator('input').fill(codes[1].toLowerCase().replaceAll('-', ' '))
    await page.getByTestId('ballot-open').click()
    await page.getByTestId('ballot-round').getByText(openRound.name).waitFor()
    await context.close()
  })

  it('shows a published round with its results per unit', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    await page.goto(`/e/${publishedRound.id}`)
    await page.getByTestId('round-state').getByText('已公布').waitFor()
    await page.getByTestId('round-total').getByText('满意率').waitFor()
    await page.getByTestId('round-table').getByText('满意率').waitFor()
    await page.getByTestId('evaluation-chart').locator('svg').waitFor()
    await assertFitsPhone(page)
    await screenshot(page, 'evaluation-results-phone')
    await context.close()
  })

  it('shows the console round page and issues codes on screen', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await loginThroughUi(page, logins.admin())
    await page.goto('/admin/evaluations')
    await page.getByTestId('rounds-table').getByText(openRound.name).click()
    await page.getByTestId('admin-round-name').getByText(openRound.name).waitFor()
    await page.getByTestId('evaluation-chart').locator('svg').waitFor()
    await page.getByTestId('issue-unit').click()
    await page.getByRole('option').first().click()
    await page.getByTestId('issue-class').click()
    await page.getByRole('option', { name: '居民群众' }).click()
    await page.getByTestId('issue-count').locator('input').fill('3')
    await page.getByText('在页面显示').click()
    await page.getByTestId('issue-submit').click()
    const shown = (await page.getByTestId('issued-codes').locator('pre').textContent()).trim().split('\n')
    assert.equal(shown.length, 3)
    for (const code of shown) assert.match(code, /^[0-9A-Y]{6}-[0-9A-Y]{6}-[0-9A-Y]{6}$/)
    await screenshot(page, 'evaluation-admin')
    await context.close()
  })
})
