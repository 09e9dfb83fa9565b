// 民主评议党员 end to end: the county admin creates and opens a member round
// over the secretary's branch (API), the demo `member` follows it from the
// branch's public page, logs in on a 375 px phone and grades every full
// member of the branch (a second ballot is refused with "already voted"),
// the round is closed (API), and the
// secretary sets the final grades in the console: a grade changed from the
// vote without a reason shows the error on its row, more 优秀 than the cap
// shows the server's cap message, a valid set saves and opens a follow-up.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, baseUrl, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
// The demo's county org admin and its member with a login (`xianfeng demo` prints both).
const county = () => ({ username: process.env.XF_COUNTY_USER || 'county', password: process.env.XF_COUNTY_PASSWORD || env('XF_DEMO_PASSWORD') })
const member = () => ({ username: process.env.XF_MEMBER_USER || 'member', password: process.env.XF_MEMBER_PASSWORD || env('XF_DEMO_PASSWORD') })
const hour = 3600 * 1000

async function ok(answer, status = 200) {
  const text = await answer.text()
  assert.equal(answer.status(), status, text)
  return JSON.parse(text)
}

/**
 * Grades every target of the ballot on the page, `gradeOf(index)` for the
 * index-th: the first criterion by criterion, the rest with the target's
 * "every criterion" buttons. Returns how many targets there are.
 */
async function gradeAll(page, criteria, gradeOf) {
  const targets = page.getByTestId('ballot-target')
  await targets.first().waitFor()
  const n = await targets.count()
  for (let i = 0; i < criteria; i++) await targets.first().getByTestId(`grade-${i}-${gradeOf(0)}`).click()
  for (let k = 1; k < n; k++) await targets.nth(k).getByTestId(`grade-all-${gradeOf(k)}`).click()
  return n
}

/** Chooses a grade in one row's Element Plus select, and waits for its list to close (the next row opens another). */
async function choose(page, memberId, gradeName) {
  await page.getByTestId(`final-grade-${memberId}`).click()
  const option = page.locator('.el-popper[aria-hidden="false"] .el-select-dropdown__item', { hasText: new RegExp(`^${gradeName}$`) })
  await option.click()
  await option.waitFor({ state: 'hidden' })
}

describe('members evaluate each other and the branch sets final grades', () => {
  const branch = env('XF_SECRETARY_UNIT')
  let browser
  let admin
  let adminContext
  let round
  let targets

  before(async () => {
    browser = await launchBrowser()
    adminContext = await newContext(browser)
    admin = await apiSession(adminContext, county())
    const countyCode = admin.user.roles.find((g) => g.role === 'org_admin').unit_code
    const campaigns = await ok(await admin.get('/api/v1/admin/campaigns'))
    const created = await ok(
      await admin.post('/api/v1/admin/evaluation-rounds', {
        unit_code: countyCode,
        campaign_id: campaigns.items.find((c) => c.status === 'active').id,
        kind: 'member',
        name: `民主评议党员(浏览器测试 ${new Date().toISOString().slice(11, 19)})`,
        target_units: [branch],
        classes: [
          { code: 'members', name: '党员', weight: 60 },
          { code: 'residents', name: '群众代表', weight: 40 },
        ],
        opens_at: new Date(Date.now() - hour).toISOString(),
        closes_at: new Date(Date.now() + 48 * hour).toISOString(),
      }),
      201,
    )
    round = await ok(await admin.post(`/api/v1/admin/evaluation-rounds/${created.id}/open`, {}))
  })
  after(async () => {
    // A run that stopped halfway leaves no open round behind (evaluations.test.mjs votes in the open one).
    if (round) await admin.post(`/api/v1/admin/evaluation-rounds/${round.id}/close`, {})
    await browser?.close()
  })

  it('lets the member vote once from a phone, after logging in', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    // From the branch's public page: the open member round offers the member's ballot.
    await page.goto(`/u/${branch}`)
    await page.getByTestId('unit-round').filter({ hasText: round.name }).getByTestId('unit-round-member-vote').click()
    // The ballot needs a login; the login page brings the member back.
    await page.waitForURL(/\/admin\/login/)
    await page.getByLabel(/用户名|Username/).fill(member().username)
    await page.getByLabel(/^(密码|Password)$/).fill(member().password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('member-ballot-round').getByText(round.name).waitFor()
    const criteria = round.criteria.length
    // The first target 优秀 on every criterion, the others 合格: those are the vote-derived grades.
    const graded = await gradeAll(page, criteria, (k) => (k === 0 ? 'excellent' : 'competent'))
    assert.equal(graded, round.targets, 'every full member of the branch is on the ballot')
    const width = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(width <= phone.viewport.width, `page is ${width}px wide on a 375px phone`)
    await screenshot(page, 'member-ballot')
    await page.getByTestId('ballot-submit').click()
    assert.match((await page.getByTestId('receipt-value').textContent()).trim(), /^[0-9a-f]{64}$/)

    // A second visit: the ballot page itself answers 409 and the page says so.
    await page.goto(`/e/${round.id}/member`)
    await page.getByTestId('member-ballot-error').getByText('您已参加过本轮评议').waitFor()
    await screenshot(page, 'member-ballot-voted')
    // The member's console lists the round of the member's branch.
    await page.goto('/admin/my-evaluations')
    await page.getByTestId(`my-vote-${round.id}`).waitFor()
    await context.close()
  })

  it('lets the secretary set final grades: reasons, the 优秀 cap, follow-ups', async () => {
    await ok(await admin.post(`/api/v1/admin/evaluation-rounds/${round.id}/close`, {}))
    const context = await newContext(browser, { viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    await loginThroughUi(page, logins.secretary())
    await page.getByRole('menuitem', { name: '本支部评议' }).click()
    await page.getByTestId(`branch-round-${round.id}`).click()
    await page.getByTestId('final-grades-table').waitFor()

    // The API session has a context of its own: a second login would replace the page's session.
    const secretary = await apiSession(await newContext(browser), logins.secretary())
    const unit = await ok(await secretary.get(`/api/v1/admin/evaluation-rounds/${round.id}/units/${branch}`))
    const ids = unit.targets.map((t) => t.id)
    const cap = Math.floor((ids.length * round.excellent_cap.numerator) / round.excellent_cap.denominator)
    await page.getByTestId('excellent-counter').getByText(`优秀 1 / 上限 ${cap}`).waitFor()
    await page.getByTestId('probationary-members').getByText('预备党员 — 参与评议,不定等次').first().waitFor()

    // 合格 by the vote, 基本合格 as set, no reason: the row says why nothing is saved.
    await choose(page, ids[1], '基本合格')
    await page.getByTestId('final-grades-save').click()
    await page.getByTestId(`final-error-${ids[1]}`).getByText('与测评等次不同的等次须写明理由').waitFor()
    await page.getByTestId(`final-reason-${ids[1]}`).fill('全年三次无故不参加组织生活')

    // One 优秀 over the cap (each with a reason): the server's cap message is shown.
    for (const id of ids.slice(2, 2 + cap)) {
      await choose(page, id, '优秀')
      await page.getByTestId(`final-reason-${id}`).fill('带头完成村级集体经济项目')
    }
    await page.getByTestId('excellent-counter').getByText(`优秀 ${cap + 1} / 上限 ${cap}`).waitFor()
    await page.getByTestId('final-grades-save').click()
    await page.getByTestId('final-grades-error').getByText(`本支部最多 ${cap} 名`).waitFor()
    await screenshot(page, 'final-grades-cap')

    // Back within the cap: the set saves, and 基本合格 opens a follow-up.
    await choose(page, ids[2], '合格')
    await page.getByTestId(`final-grade-${ids[2]}`).getByText('合格').waitFor()
    await page.getByTestId('final-grades-save').click()
    await page.locator('.el-message--success').getByText(`已保存 ${ids.length} 名党员的确定等次`).waitFor()
    const followUp = page.getByTestId('follow-up')
    await followUp.getByText('基本合格').waitFor()
    await followUp.getByTestId('follow-up-plan').fill('每月向支部书面汇报思想和工作')
    await followUp.getByTestId('follow-up-save').click()
    await page.locator('.el-message--success').getByText('整改记录已保存').waitFor()

    const saved = await ok(await secretary.get(`/api/v1/admin/evaluation-rounds/${round.id}/units/${branch}`))
    const changed = saved.targets.find((t) => t.id === ids[1])
    assert.equal(changed.final_grade, 'basically_competent')
    assert.equal(changed.vote_grade, 'competent')
    assert.equal(changed.reason, '全年三次无故不参加组织生活')
    assert.equal(changed.follow_up.plan, '每月向支部书面汇报思想和工作')
    assert.equal(saved.targets.filter((t) => t.final_grade === 'excellent').length, cap)
    await page.getByTestId('final-grades-chart').locator('svg').waitFor()
    await screenshot(page, 'final-grades')

    // The round's console page leads to each branch's screen too.
    await page.goto(`/admin/evaluations/${round.id}`)
    await page.getByTestId(`round-branch-${branch}`).click()
    await page.getByTestId(`final-grade-${ids[1]}`).getByText('基本合格').waitFor()
    await context.close()
  })

  it('lists the round on the branch\'s public page', async () => {
    const context = await newContext(browser, phone)
    const page = await context.newPage()
    const answer = await page.request.get(`${baseUrl()}/api/v1/units/${branch}/evaluation-rounds`)
    assert.equal(answer.status(), 200, 'GET /units/{code}/evaluation-rounds is served')
    await page.goto(`/u/${branch}`)
    const listed = page.getByTestId('unit-round').filter({ hasText: round.name })
    await listed.getByText('已结束').waitFor()
    await listed.scrollIntoViewIfNeeded()
    await page.screenshot({ path: new URL('./screenshots/unit-rounds-375.png', import.meta.url).pathname })
    await listed.getByTestId('unit-round-link').click()
    await page.waitForURL(new RegExp(`/e/${round.id}$`))
    await context.close()
  })
})
