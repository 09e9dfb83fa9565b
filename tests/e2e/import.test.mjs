import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { apiSession, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

async function memberTotal(session, unitCode) {
  const response = await session.get(`/api/v1/admin/units/${encodeURIComponent(unitCode)}/members?subtree=1&page=1&page_size=1`)
  assert.equal(response.status(), 200)
  return (await response.json()).total
}

describe('CSV import of members', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('reports the bad row by number and imports nothing', async () => {
    const unitCode = env('XF_SECRETARY_UNIT')
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await loginThroughUi(page, logins.secretary())
    const session = await apiSession(context, logins.secretary())
    const before = await memberTotal(session, unitCode)

    await page.goto(`/admin/import?unit=${encodeURIComponent(unitCode)}`)
    await page.getByTestId('import-kind-members').click()

    // Start from the page's own template, so the test uses the headers users get.
    const downloading = page.waitForEvent('download')
    await page.getByRole('button', { name: /下载模板 CSV|Download template CSV/ }).click()
    const template = (await readFile(await (await downloading).path(), 'utf8')).replace(/^\uFEFF/, '').trim()
    assert.equal(template, '姓名,单位编码,岗位,入党日期,状态,手机号,身份证号')

    const csv = [
      template,
      `测试导入甲,${unitCode},党员,2012-07-01,正式党员,,`,
      `测试导入乙,${unitCode},党员,不是日期,正式党员,,`,
    ].join('\r\n')
    await page.getByTestId('import-file').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') })
    await page.getByTestId('import-submit').click()

    const report = page.getByTestId('import-error-report')
    await report.waitFor()
    const rowNumbers = await report.locator('tbody tr td:first-child').allTextContents()
    assert.ok(rowNumbers.length >= 1, 'the report lists the bad row')
    assert.deepEqual([...new Set(rowNumbers.map((n) => n.trim()))], ['2'], 'only the second data row is reported')
    assert.ok(await page.getByTestId('import-progress').isVisible(), 'the upload progress bar is shown')
    await screenshot(page, 'import-error-report')

    assert.equal(await memberTotal(session, unitCode), before, 'all-or-nothing: the good row was not imported either')
    await context.close()
  })
})
