// A county runs a round in the console, end to end: the county's org admin
// defines a 群众评议 round of one branch (a weights sum of 90 % gets the
// server's error beside the classes), edits the draft, opens it (the editor
// then shows the 409 "frozen" reason), issues 5 codes on screen, prints a
// sheet of slips in a new tab and downloads a CSV batch; one code votes; the
// round page shows the participation by unit and by field, then the round is
// closed (the distribution of grades appears) and published.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { baseUrl, env, launchBrowser, loginThroughUi, newContext, screenshot } from './support.mjs'

/** The demo's county org admin (`xianfeng demo` prints "demo login: county …"). */
const county = () => ({ username: process.env.XF_COUNTY_USER || 'county', password: process.env.XF_COUNTY_PASSWORD || env('XF_DEMO_PASSWORD') })

const CODE = /^[0-9A-HJKMNP-TV-Y]{6}-[0-9A-HJKMNP-TV-Y]{6}-[0-9A-HJKMNP-TV-Y]{6}$/

/** Casts one ballot over the public API, every criterion graded 满意 (a voter's phone is tested in evaluations.test.mjs). */
async function vote(code) {
  const ballot = await (await fetch(`${baseUrl()}/api/v1/ballots/${code}`)).json()
  const grades = Object.fromEntries(ballot.targets.map((t) => [t.id, ballot.round.criteria.map(() => 'satisfied')]))
  const answer = await fetch(`${baseUrl()}/api/v1/ballots`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code, grades }) })
  assert.equal(answer.status, 201, await answer.text())
}

/** Confirms the lifecycle dialog with its own button, after checking what it says the step means. */
async function confirmStep(page, button, meaning) {
  const dialog = page.locator('.el-message-box')
  await dialog.getByText(meaning).waitFor()
  await dialog.getByRole('button', { name: button }).click()
}

describe('a county runs an evaluation round in the console', () => {
  let browser
  let context
  let page
  const branch = env('XF_SECRETARY_UNIT')
  const name = `浏览器测试评议 ${new Date().toISOString().slice(0, 19)}`

  before(async () => {
    browser = await launchBrowser()
    context = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    await loginThroughUi(page, county())
  })
  after(async () => {
    await browser?.close()
  })

  it('defines a round, shows the weights error on the classes, and edits the draft', async () => {
    await page.goto('/admin/evaluations')
    await page.getByTestId('round-new').click()
    const editor = page.getByTestId('round-editor')
    await editor.waitFor()
    // A member round brings its own scale, classes and the 优秀 cap; back to a unit round.
    await editor.getByText('民主评议(评党员)').click()
    await page.getByText('优秀比例上限').waitFor()
    assert.equal(await page.getByTestId('class-code-0').inputValue(), 'members')
    await editor.getByText('群众评议(评单位)').click()
    assert.equal(await page.getByText('优秀比例上限').count(), 0)
    await page.getByTestId('weight-sum').getByText('权重合计 100%').waitFor()
    await page.getByTestId('editor-name').fill(name)
    await editor.getByText('列出单位代码').click()
    await page.getByTestId('editor-unit-codes').fill(branch)
    await page.getByTestId('class-weight-0').locator('input').fill('20')
    await page.getByTestId('class-weight-0').locator('input').press('Tab')
    await page.getByTestId('weight-sum').getByText('权重合计 90%').waitFor()

    await page.getByTestId('editor-save').click()
    // The server's 400 names `classes`: its message stands under the classes, not only in a toast.
    await page.getByTestId('editor-classes-item').locator('.el-form-item__error').getByText('现为 90%').waitFor()
    await screenshot(page, 'round-editor')

    await page.getByTestId('class-weight-0').locator('input').fill('30')
    await page.getByTestId('class-weight-0').locator('input').press('Tab')
    await page.getByTestId('weight-sum').getByText('权重合计 100%').waitFor()
    await page.getByTestId('editor-save').click()
    await page.waitForURL(/\/admin\/evaluations\/\d+$/)
    await page.getByTestId('admin-round-name').getByText(name).waitFor()
    await page.getByText('草稿', { exact: true }).waitFor()

    await page.getByTestId('round-edit').click()
    await page.getByTestId('editor-unit-codes').waitFor()
    assert.equal(await page.getByTestId('editor-unit-codes').inputValue(), branch)
    await page.getByTestId('editor-name').fill(`${name}(修改)`)
    await page.getByTestId('editor-save').click()
    await page.waitForURL(/\/admin\/evaluations\/\d+$/)
    await page.getByTestId('admin-round-name').getByText(`${name}(修改)`).waitFor()
  })

  it('opens the round, after which its configuration is frozen', async () => {
    await page.getByTestId('round-open').click()
    await confirmStep(page, '开启投票', '冻结')
    await page.getByText('投票中', { exact: true }).waitFor()
    assert.equal(await page.getByTestId('round-edit').count(), 0, 'no 编辑 once open')

    const roundPage = page.url()
    await page.goto(`${roundPage}/edit`)
    await page.getByTestId('editor-save').click()
    await page.getByTestId('editor-error').getByText('冻结').waitFor()
    await page.goto(roundPage)
  })

  it('issues 5 codes on screen, prints a sheet of slips in a new tab and downloads a CSV', async () => {
    await page.getByTestId('codes-once-warning').getByText('只在这一次显示或下载').waitFor()
    await page.getByTestId('issue-unit').click()
    await page.getByRole('option').first().click()
    await page.getByTestId('issue-class').click()
    await page.getByRole('option', { name: '居民群众' }).click()
    await page.getByTestId('issue-count').locator('input').fill('5')
    await page.getByText('在页面显示').click()
    await page.getByTestId('issue-submit').click()
    const shown = (await page.getByTestId('issued-codes').locator('pre').textContent()).trim().split('\n')
    assert.equal(shown.length, 5)
    for (const code of shown) assert.match(code, CODE)

    await page.getByTestId('issue-count').locator('input').fill('2')
    await page.getByText('A4 选票条').click()
    const [sheet] = await Promise.all([context.waitForEvent('page'), page.getByTestId('issue-submit').click()])
    // The tab opens blank at the click and shows the sheet once the batch has arrived.
    await sheet.waitForURL(/^blob:/)
    await sheet.locator('.slip svg').nth(1).waitFor()
    const slips = await sheet.locator('.slip .code').allTextContents()
    assert.equal(slips.length, 2, 'two slips on the sheet, each with a QR code')
    for (const code of slips) assert.match(code, CODE)
    await sheet.close()

    await page.getByTestId('issue-count').locator('input').fill('1')
    await page.getByText('CSV(短信发送)').click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('issue-submit').click()])
    assert.match(download.suggestedFilename(), /\.csv$/)
    // Three batches, listed without their codes.
    await page.getByText('已发放批次(3)').waitFor()

    await vote(shown[0])
    await page.reload()
    await page.getByTestId('admin-round-total').getByText('(1 / 8)').waitFor()
    await page.getByTestId('evaluation-chart').locator('svg').waitFor()
    await page.getByTestId('field-chart').locator('svg').waitFor()
    await page.getByTestId('admin-round-units').getByText('1 / 8').waitFor()
    await screenshot(page, 'round-admin-open')
  })

  it('closes the round, shows the distribution of grades, and publishes it', async () => {
    await page.getByTestId('round-close').click()
    await confirmStep(page, '结束投票', '评议等次随即对公众公开')
    await page.getByText('已结束', { exact: true }).waitFor()
    await page.getByTestId('grades-chart').locator('svg').waitFor()
    await page.getByTestId('admin-round-total').getByText('满意率 100%').waitFor()
    await screenshot(page, 'round-admin-closed')

    await page.getByTestId('round-publish').click()
    await confirmStep(page, '公布结果', '最后一步')
    await page.getByText('已公布', { exact: true }).waitFor()
    assert.equal(await page.locator('[data-testid="round-open"], [data-testid="round-close"], [data-testid="round-publish"]').count(), 0, 'no step after publishing')
    assert.equal(await page.getByTestId('issue-codes-form').count(), 0, 'no codes after the close')
  })
})
