// Public commitments end to end: a branch secretary drafts and submits a
// commitment, the township returns it with a reason, the secretary sees the
// reason, edits and resubmits, the township approves it, a resident rates it
// on the unit's board from a phone, and the township's bulletin counts it
// (figures compared before and after). Then the bulletin's print view.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { apiSession, docsScreenshot, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1280, height: 900 } }
// What Chromium lays a printed A4 page out in: 210 mm less the stylesheet's
// 15 mm margins each side = 180 mm = 680 px at 96 dpi.
const A4_PRINTABLE_WIDTH = 680

/** A day in the server's time zone (Asia/Shanghai) as YYYY-MM-DD, like the server's "today". */
function shanghaiDay(offsetDays = 0) {
  return new Date(Date.now() + offsetDays * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
}

// A 24×24 checked PNG, so that the server decodes it and makes a thumbnail.
const evidencePng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAABgAAAAYCAIAAABvFaqvAAAALklEQVR42mP4/+ECGjohJouGiFHDMGoQHQ0iTxummlGD6GnQaMoezWujBtHFIABaXjF98IolcAAAAABJRU5ErkJggg==', 'base64')

const period = () => ({ period_from: shanghaiDay(-1), period_to: shanghaiDay(1) })

async function activeCampaign(context) {
  const { items } = await (await context.request.get('/api/v1/campaigns')).json()
  const campaign = items.find((c) => c.status === 'active')
  assert.ok(campaign, 'the demo county has an active campaign')
  return campaign
}

/** The township's own committee code, from its grant. */
function townshipCode(session) {
  const grant = session.user.roles.find((g) => g.role === 'org_admin')
  assert.ok(grant, 'the township login is an org admin')
  return grant.unit_code
}

/** A bulletin's figures as the API computes them now (a draft, generated only to compare). */
async function figuresNow(township, campaignId) {
  const made = await township.post('/api/v1/admin/bulletins', { unit_code: townshipCode(township), campaign_id: campaignId, ...period(), title: '对照(浏览器测试)' })
  assert.equal(made.status(), 201, await made.text())
  return (await made.json()).figures
}

/** An Element Plus input by its test id, whether the id lands on the input itself or on its wrapper. */
function field(page, testId, tag = 'input') {
  return page.locator(`${tag}[data-testid="${testId}"], [data-testid="${testId}"] ${tag}`).first()
}

async function openCommitment(page, id) {
  await page.goto(`/admin/commitments/${id}`)
  await page.getByTestId('commitment-title').waitFor()
}

async function statusIs(page, label) {
  await page.getByTestId('commitment-status').getByText(label, { exact: true }).waitFor()
}

describe('public commitments: 提诺 → 审诺 → 公开 → 评诺, and the bulletin', () => {
  let browser
  let bulletinId = ''
  const bulletinTitle = `公开承诺践诺情况通报(浏览器测试 ${Date.now()})`
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('drafted, returned with a reason, resubmitted, approved, rated on a phone and counted in the bulletin', async () => {
    const code = env('XF_SECRETARY_UNIT')
    const townshipContext = await newContext(browser, desktop)
    const townshipApi = await apiSession(townshipContext, logins.township())
    const campaign = await activeCampaign(townshipContext)
    const before = await figuresNow(townshipApi, campaign.id)

    // 提诺: the secretary drafts and submits from the console's list.
    const desk = await newContext(browser, desktop)
    const secretary = await desk.newPage()
    await loginThroughUi(secretary, logins.secretary())
    await secretary.getByRole('menuitem', { name: '公开承诺' }).click()
    await secretary.getByTestId('commitments-table').waitFor()
    await secretary.getByTestId('commitment-new').click()
    const title = `为独居老人上门服务(浏览器测试 ${Date.now()})`
    await field(secretary, 'draft-title', 'input').fill(title)
    await field(secretary, 'item-text-0', 'textarea').fill('每月走访独居老人')
    await field(secretary, 'item-target-0', 'input').fill('30')
    await field(secretary, 'item-unit-0', 'input').fill('户次')
    await screenshot(secretary, 'commitments-draft')
    await secretary.getByTestId('draft-submit').click()
    await secretary.waitForURL(/\/admin\/commitments\/\d+$/)
    const id = secretary.url().match(/\/admin\/commitments\/(\d+)$/)[1]
    await statusIs(secretary, '待审核')

    // 审诺: the township finds it in its queue and returns it with a reason.
    const township = await townshipContext.newPage()
    await loginThroughUi(township, logins.township())
    await township.getByRole('menuitem', { name: '公开承诺' }).click()
    await township.getByTestId('vetting-queue').click()
    await township.getByTestId('commitments-table').getByText(title).click()
    await statusIs(township, '待审核')
    assert.equal(await secretary.getByTestId('action-approve').count(), 0, 'a secretary never vets its own branch')
    const reason = '目标不够具体,请写明走访户数和频次'
    await township.getByTestId('action-return').click()
    await field(township, 'vet-text', 'textarea').fill(reason)
    await township.getByTestId('vet-confirm').click()
    await statusIs(township, '草稿')

    // The secretary sees the reason on the draft, edits and resubmits.
    await openCommitment(secretary, id)
    await statusIs(secretary, '草稿')
    assert.ok((await secretary.getByTestId('return-reason').textContent()).includes(reason))
    await field(secretary, 'item-text-0', 'textarea').fill('每月走访独居老人 30 户次,每户每月至少一次')
    await secretary.getByTestId('draft-submit').click()
    await statusIs(secretary, '待审核')

    // The township approves it: it is public, version 1.
    await openCommitment(township, id)
    await statusIs(township, '待审核')
    await screenshot(township, 'commitments-review')
    await docsScreenshot(township, 'commitment-review')
    await township.getByTestId('action-approve').click()
    await field(township, 'vet-text', 'textarea').fill('同意公开')
    await township.getByTestId('vet-confirm').click()
    await statusIs(township, '已公开')

    // 践诺: the secretary reports progress with a photo as evidence.
    await openCommitment(secretary, id)
    await statusIs(secretary, '已公开')
    await secretary.getByTestId('action-progress').click()
    await field(secretary, 'progress-text', 'textarea').fill('本月已走访 12 户次,帮助老人购买生活用品。')
    await field(secretary, 'progress-amount', 'input').fill('12')
    await secretary.getByTestId('evidence-input').setInputFiles({ name: 'visit.png', mimeType: 'image/png', buffer: evidencePng })
    await secretary.locator('.el-dialog').getByText('已上传').waitFor()
    await secretary.getByTestId('progress-save').click()
    await secretary.getByTestId('admin-timeline').getByText('本月已走访 12 户次').waitFor()
    await secretary.getByTestId('admin-timeline').getByTestId('evidence-thumb').waitFor()
    await screenshot(secretary, 'commitments-progress')
    await desk.close()

    // A resident opens the board on a phone (as from the QR code) and rates it.
    const resident = await newContext(browser, phone)
    const phonePage = await resident.newPage()
    await phonePage.goto(`/u/${encodeURIComponent(code)}?c=${id}`)
    const card = phonePage.locator(`[data-testid="board-commitment"][data-commitment="${id}"]`)
    await card.waitFor()
    assert.ok((await card.textContent()).includes('每月走访独居老人 30 户次'))
    await card.getByTestId('evidence-thumb').locator('img').waitFor()
    assert.equal((await card.locator('.van-progress__pivot').first().textContent()).trim(), '40%', '12 of 30 is 40 %')
    await card.getByTestId('rate-satisfied').click()
    await card.getByTestId('rating-comment').locator('textarea').fill('老人们都说好')
    await card.getByTestId('rating-submit').click()
    await card.getByTestId('rating-mine').getByText('满意').waitFor()
    assert.equal((await card.getByTestId('rating-count-satisfied').textContent()).trim(), '满意 1')
    assert.equal(await phonePage.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no sideways scrolling at 375 px')
    const token = await phonePage.evaluate(() => localStorage.getItem('xf.commitments.token'))
    assert.ok(token && token.length >= 16, 'the browser keeps its own token')
    await phonePage.locator('.van-toast').waitFor({ state: 'hidden' })
    // The board from its heading, just below the site's bar.
    await phonePage.getByTestId('unit-board').evaluate((element) => window.scrollTo(0, element.getBoundingClientRect().top + window.scrollY - 100))
    await screenshot(phonePage, 'commitments-board-375')
    await docsScreenshot(phonePage, 'board-phone')

    // The same browser rating again (its memory of the choice lost) gets the server's refusal as a message.
    await phonePage.evaluate(() => localStorage.removeItem('xf.commitments.rated'))
    await phonePage.reload()
    await card.getByTestId('rate-dissatisfied').click()
    await card.getByTestId('rating-submit').click()
    const refusal = (await card.getByTestId('rating-error').textContent()).trim()
    assert.ok(refusal.length > 0, 'a second rating is refused with a message')

    // The commitment's own page: items, history, QR code.
    await card.getByTestId('board-commitment-link').click()
    await phonePage.getByTestId('commitment-title').getByText('为独居老人上门服务').waitFor()
    await phonePage.getByTestId('version-history').getByText('第 1 版').waitFor()
    assert.equal(await phonePage.getByTestId('commitment-qr').evaluate((img) => img.complete && img.naturalWidth > 0), true)
    await screenshot(phonePage, 'commitments-page-375')
    await resident.close()

    // The township generates the bulletin in the console: it counts the new commitment and the rating.
    const bulletinDesk = await newContext(browser, desktop)
    const page = await bulletinDesk.newPage()
    await loginThroughUi(page, logins.township())
    await page.getByRole('menuitem', { name: '通报' }).click()
    await page.getByTestId('bulletin-generate-form').waitFor()
    const [from, to] = await page.locator('[data-testid="bulletin-generate-form"] .el-range-input').all()
    await from.fill(period().period_from)
    await to.fill(period().period_to)
    await to.press('Enter')
    await field(page, 'bulletin-title-input', 'input').fill(bulletinTitle)
    await page.getByTestId('bulletin-generate').click()
    await page.waitForURL(/\/admin\/bulletins\/\d+$/)
    bulletinId = page.url().match(/\/admin\/bulletins\/(\d+)$/)[1]
    const figure = async (name) => Number((await page.getByTestId(name).first().textContent()).trim())
    await page.getByTestId('figure-published').waitFor()
    assert.equal(await figure('figure-published'), before.commitments.published + 1, 'the new commitment is counted')
    assert.equal(await figure('figure-ratings-total'), before.ratings.total + 1, 'the rating is counted')
    assert.equal(await figure('figure-rating-satisfied'), before.ratings.satisfied + 1)
    await field(page, 'bulletin-intro', 'textarea').fill('本期各支部公开承诺、践诺情况通报如下。')
    await page.getByTestId('bulletin-publish').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.getByTestId('bulletin-status').getByText('已发布').waitFor()
    await page.getByTestId('bulletin-chart').locator('svg').first().waitFor()
    await screenshot(page, 'commitments-bulletin-admin')
    await bulletinDesk.close()
    await townshipContext.close()
  })

  it('a due commitment is revised with a reason, reviewed by itself and from above, and closed with its result and inputs', async () => {
    const code = env('XF_SECRETARY_UNIT')
    const desk = await newContext(browser, desktop)
    const secretaryApi = await apiSession(desk, logins.secretary())
    const campaign = await activeCampaign(desk)
    const workspace = await (await secretaryApi.get(`/api/v1/admin/campaigns/${campaign.id}/units/${encodeURIComponent(code)}`)).json()
    const item = (text) => ({ text, target_value: 4, target_unit: '次', due_on: shanghaiDay(-1), central_task_id: workspace.central_tasks[0].id, carrier_id: workspace.carriers.find((c) => !c.retired).id })
    const made = await secretaryApi.post('/api/v1/admin/commitments', { campaign_id: campaign.id, kind: 'unit', unit_code: code, title: `清理村内河道(浏览器测试 ${Date.now()})`, items: [item('组织党员清理河道')] })
    assert.equal(made.status(), 201, await made.text())
    const { id } = await made.json()
    assert.equal((await secretaryApi.post(`/api/v1/admin/commitments/${id}/submit`, {})).status(), 200)
    const townshipContext = await newContext(browser, desktop)
    const townshipApi = await apiSession(townshipContext, logins.township())
    assert.equal((await townshipApi.post(`/api/v1/admin/commitments/${id}/approve`, {})).status(), 200)

    // The secretary revises it (a new public version with its reason) and assesses it.
    const secretary = await desk.newPage()
    await loginThroughUi(secretary, logins.secretary())
    await openCommitment(secretary, id)
    await secretary.getByTestId('commitment-overdue').waitFor()
    await secretary.getByTestId('action-revise').click()
    await field(secretary, 'item-text-0', 'textarea').fill('组织党员每周清理河道一次')
    await field(secretary, 'revise-reason', 'textarea').fill('按群众意见改为每周一次')
    await secretary.getByTestId('revise-save').click()
    await secretary.getByTestId('admin-versions').getByText('修改理由:按群众意见改为每周一次').waitFor()
    await secretary.getByTestId('action-review').click()
    await field(secretary, 'review-comment', 'textarea').fill('已按期组织清理')
    await secretary.getByTestId('review-save').click()
    await secretary.getByText('已按期组织清理').waitFor()
    assert.equal(await secretary.getByTestId('action-close').count(), 0, 'the branch does not close its own commitment')
    await desk.close()

    // The township adds the superior's comment and closes it: the result with each source's inputs.
    const township = await townshipContext.newPage()
    await loginThroughUi(township, logins.township())
    await openCommitment(township, id)
    await township.getByTestId('action-review').click()
    await field(township, 'review-comment', 'textarea').fill('河道整洁,群众认可')
    await township.getByTestId('review-save').click()
    await township.getByText('河道整洁,群众认可').waitFor()
    await township.getByTestId('action-close').click()
    await township.locator('.el-message-box__btns .el-button--primary').click()
    await statusIs(township, '已评定')
    assert.equal((await township.getByTestId('result-grade').textContent()).trim(), '已兑现')
    const inputs = await township.getByTestId('result-inputs').textContent()
    for (const source of ['自评', '互评', '群众评价', '领导点评']) assert.ok(inputs.includes(source), `the inputs show ${source}`)
    // Self 10 % and superior 30 % are the only sources with reviews: shared out again, 25 % and 75 %.
    assert.ok(inputs.includes('25%') && inputs.includes('75%'), inputs)
    await screenshot(township, 'commitments-closed')

    // The campaign page has the weights the result was computed with.
    await township.goto(`/admin/campaigns/${campaign.id}?tab=weights`)
    await township.getByTestId('weights-sum').getByText('100%', { exact: true }).waitFor()
    assert.equal(await township.getByTestId('weight-public').locator('input').inputValue(), '40', 'the default weights')
    await townshipContext.close()

    // The public page shows both versions and the result's inputs.
    const resident = await newContext(browser, phone)
    const page = await resident.newPage()
    await page.goto(`/commitments/${id}`)
    await page.getByTestId('commitment-status').getByText('已评定').waitFor()
    await page.getByTestId('version-history').getByText('第 2 版').waitFor()
    await page.getByTestId('result-inputs').waitFor()
    assert.equal(await page.getByTestId('rating-form').count(), 0, 'a closed commitment takes no more ratings')
    await resident.close()
  })

  it('prints the bulletin on A4: no site bar, tables and charts within the page width', async () => {
    const context = await newContext(browser, { viewport: { width: A4_PRINTABLE_WIDTH, height: 1123 } })
    if (!bulletinId) {
      const township = await apiSession(context, logins.township())
      const campaign = await activeCampaign(context)
      const made = await township.post('/api/v1/admin/bulletins', { unit_code: townshipCode(township), campaign_id: campaign.id, ...period(), title: bulletinTitle })
      assert.equal(made.status(), 201, await made.text())
      bulletinId = (await made.json()).id
      assert.equal((await township.post(`/api/v1/admin/bulletins/${bulletinId}/publish`, {})).status(), 200)
    }
    // Residents find it on the committee's unit page.
    const { unit } = await (await context.request.get(`/api/v1/bulletins/${bulletinId}`)).json()
    const page = await context.newPage()
    await page.goto(`/u/${encodeURIComponent(unit.code)}`)
    await page.getByTestId('unit-bulletin-link').filter({ hasText: bulletinTitle }).click()
    await page.waitForURL(new RegExp(`/bulletins/${bulletinId}$`))
    await page.getByTestId('bulletin-title').waitFor()
    await page.getByTestId('bulletin-print').waitFor()
    await page.getByTestId('bulletin-chart').locator('svg').first().waitFor()
    await page.emulateMedia({ media: 'print' })
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    const layout = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      topBarShown: [...document.querySelectorAll('.top-bar')].some((e) => e.checkVisibility()),
      printButtonShown: document.querySelector('[data-testid="bulletin-print"]').checkVisibility(),
      widest: Math.max(...[...document.querySelectorAll('[data-testid="public-bulletin"] table, [data-testid="public-bulletin"] svg')].map((e) => e.getBoundingClientRect().right)),
    }))
    assert.equal(layout.topBarShown, false, 'the site bar is not printed')
    assert.equal(layout.printButtonShown, false, 'the buttons are not printed')
    assert.ok(layout.scrollWidth <= A4_PRINTABLE_WIDTH, `the page fits A4's printable width (${layout.scrollWidth} px)`)
    assert.ok(layout.widest <= A4_PRINTABLE_WIDTH + 1, `tables and charts fit the page (${layout.widest} px)`)
    await screenshot(page, 'commitments-bulletin-print')
    await docsScreenshot(page, 'bulletin')
    const xlsx = await context.request.get(await page.getByTestId('bulletin-xlsx').getAttribute('href'))
    assert.equal(xlsx.status(), 200)
    assert.equal((await xlsx.body()).subarray(0, 2).toString(), 'PK', 'the figures download as a workbook')
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true })
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF')
    await context.close()
  })
})
