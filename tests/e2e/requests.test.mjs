import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { deflateSync } from 'node:zlib'
import { docsScreenshot, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }

function crc32(bytes) {
  let crc = ~0
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1))
  }
  return ~crc >>> 0
}

function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

/** A small real PNG (a red and white 16×16 pattern), so that the server decodes and re-encodes it. */
function smallPng() {
  const size = 16
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // RGB
  const rows = []
  for (let y = 0; y < size; y++) {
    const row = [0] // filter: none
    for (let x = 0; x < size; x++) row.push(...((x + y) % 2 ? [200, 22, 29] : [255, 255, 255]))
    rows.push(Buffer.from(row))
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))])
}

/** The unit page's numbers: problems reported, and how many graded (from "满意率(N 人评价)"). */
async function unitFigures(page, code) {
  await page.goto(`/u/${encodeURIComponent(code)}`)
  const total = page.getByTestId('figure-total')
  await total.waitFor()
  const graded = (await page.getByTestId('unit-requests').textContent()).match(/(\d+) 人评价/)
  return { total: Number((await total.textContent()).trim()), graded: Number(graded[1]), satisfaction: (await page.getByTestId('figure-satisfaction').textContent()).trim() }
}

describe('residents report a problem, the branch solves it, the reporter confirms', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('from a phone report to a graded confirmation, and the unit page counts it', async () => {
    const code = env('XF_SECRETARY_UNIT')
    const resident = await newContext(browser, phone)
    const phonePage = await resident.newPage()
    const before = await unitFigures(phonePage, code)

    // The resident reports from the unit page (as from its QR code), with one photo.
    await phonePage.getByTestId('report-link').click()
    await phonePage.getByTestId('report-form').waitFor()
    const categories = await phonePage.getByTestId('report-category').locator('option:not([disabled])').allTextContents()
    assert.ok(categories.length > 0, 'the unit field offers categories')
    await phonePage.getByTestId('report-category').selectOption({ label: categories[0] })
    const description = `路灯不亮,晚上出行不便(浏览器测试 ${Date.now()})`
    await phonePage.getByTestId('report-description').locator('textarea').fill(description)
    await phonePage.getByTestId('report-photo-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: smallPng() })
    await phonePage.getByTestId('report-photo').getByText('已上传').waitFor()
    await phonePage.getByText('绝不公开').waitFor()
    await phonePage.getByPlaceholder('手机号或电子邮箱').fill('13800000000')
    assert.equal(await phonePage.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no sideways scrolling at 375 px')
    await screenshot(phonePage, 'requests-report-375')
    await phonePage.getByTestId('report-submit').click()

    // Without an account, the tracking token is shown and kept in the browser.
    const token = (await phonePage.getByTestId('tracking-token').textContent()).trim()
    assert.match(token, /^[0-9a-f]{16,}$/)
    const id = phonePage.url().match(/\/r\/(\d+)/)[1]
    const kept = await phonePage.evaluate(() => JSON.parse(localStorage.getItem('xf.requests.tokens') ?? '{}'))
    assert.equal(kept[id], token)
    assert.equal((await phonePage.getByTestId('problem-state').textContent()).trim(), '待受理')
    await phonePage.getByTestId('problem-photo').waitFor()
    assert.equal(await phonePage.getByText('13800000000').count(), 0, 'the contact is never shown publicly')
    await screenshot(phonePage, 'requests-tracking-375')
    await docsScreenshot(phonePage, 'requests-public')

    // The branch secretary accepts (assigning a member) and resolves it in the console.
    const desk = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const admin = await desk.newPage()
    await loginThroughUi(admin, logins.secretary())
    await admin.goto('/admin/requests')
    await admin.getByTestId('queue-table').getByText(description).waitFor()
    await screenshot(admin, 'requests-queue')
    await docsScreenshot(admin, 'requests-admin')
    await admin.getByTestId('queue-table').getByText(description).click()
    await admin.getByTestId('admin-problem-state').getByText('待受理').waitFor()
    await admin.getByText('13800000000').waitFor()

    await admin.getByTestId('action-accept').click()
    await admin.getByTestId('accept-member').click()
    await admin.locator('.el-select-dropdown__item:visible').first().click()
    await admin.getByTestId('action-submit').click()
    await admin.getByTestId('admin-problem-state').getByText('已受理').waitFor()

    await admin.getByTestId('action-resolve').click()
    await admin.getByTestId('resolve-text').fill('已更换路灯灯泡,夜间照明恢复正常。')
    await admin.getByTestId('evidence-input').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: smallPng() })
    await admin.locator('.el-dialog').getByText('fixed.png').waitFor()
    await admin.getByTestId('action-submit').click()
    await admin.getByTestId('admin-problem-state').getByText('已办结待确认').waitFor()
    await screenshot(admin, 'requests-admin-resolved')
    await desk.close()

    // The resident confirms with a grade, using the token this browser kept.
    await phonePage.goto(`/r/${id}`)
    await phonePage.getByTestId('problem-resolution').getByText('已更换路灯灯泡').waitFor()
    await phonePage.getByTestId('grade-basically_satisfied').click()
    await phonePage.getByTestId('confirm-submit').click()
    await phonePage.getByTestId('problem-state').getByText('已确认').waitFor()
    assert.equal((await phonePage.getByTestId('problem-grade').textContent()).includes('基本满意'), true)
    await screenshot(phonePage, 'requests-confirmed-375')

    // Someone else's browser has no token: it may only ask to reopen, never confirm.
    const stranger = await newContext(browser, phone)
    const strangerPage = await stranger.newPage()
    await strangerPage.goto(`/r/${id}`)
    await strangerPage.getByTestId('problem-state').getByText('已确认').waitFor()
    assert.equal(await strangerPage.getByTestId('confirm-box').count(), 0)
    // With only the code written down, the resident finds the problem again.
    await strangerPage.goto('/report')
    await strangerPage.getByTestId('track-token').locator('input').fill(token)
    await strangerPage.getByRole('button', { name: '查询' }).click()
    await strangerPage.waitForURL(new RegExp(`/r/${id}$`))
    await strangerPage.getByTestId('problem-grade').waitFor()
    await stranger.close()

    // The unit page's figures count the new problem and its grade.
    const afterwards = await unitFigures(phonePage, code)
    assert.equal(afterwards.total, before.total + 1)
    assert.equal(afterwards.graded, before.graded + 1)
    await phonePage.getByTestId('unit-requests-chart').waitFor()
    await phonePage.getByTestId('unit-requests').scrollIntoViewIfNeeded()
    await screenshot(phonePage, 'requests-unit-figures-375')
    await resident.close()
  })
})
