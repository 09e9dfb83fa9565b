import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { Buffer } from 'node:buffer'
import { apiSession, docsScreenshot, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

const phone = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
const desktop = { viewport: { width: 1280, height: 860 } }
// The smallest valid PNG: one transparent pixel.
const onePixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

async function activeCampaign(context) {
  const { items } = await (await context.request.get('/api/v1/campaigns')).json()
  const campaign = items.find((c) => c.status === 'active')
  assert.ok(campaign, 'the demo county has an active campaign')
  return campaign
}

/**
 * A fresh branch next to the demo secretary's, with its own secretary login,
 * so that every run registers a theme from scratch (the demo's own branch
 * already has an approved one) under the township admin's review.
 */
async function freshBranchWithSecretary(admin) {
  const sibling = await (await admin.get(`/api/v1/units/${encodeURIComponent(env('XF_SECRETARY_UNIT'))}`)).json()
  const parent = sibling.parent_chain.at(-1)
  const code = `camp-${Date.now().toString(36)}`
  const unit = await admin.post('/api/v1/admin/units', { code, name: `测试村${code.slice(-4)}党支部`, kind: 'branch', field: 'rural', parent_code: parent.code, contact_name: '', contact_phone: '', address: '' })
  assert.ok(unit.ok(), `creating the branch failed: ${unit.status()} ${await unit.text()}`)
  const login = { username: code, password: 'Campaign-e2e-2026-secret' }
  const user = await admin.post('/api/v1/admin/users', { username: login.username, display_name: '测试书记', password: login.password })
  assert.ok(user.ok(), `creating the user failed: ${user.status()} ${await user.text()}`)
  const { id } = await user.json()
  const grant = await admin.post(`/api/v1/admin/users/${id}/grants`, { role: 'secretary', unit_code: code })
  assert.ok(grant.ok(), `granting failed: ${grant.status()} ${await grant.text()}`)
  return { code, login }
}

async function openReview(page, campaignId, unitCode) {
  await page.goto(`/admin/campaigns/${campaignId}?tab=themes`)
  const button = page.locator(`[data-testid="review-open"][data-unit="${unitCode}"]`)
  await button.waitFor()
  await button.click()
  await page.getByTestId('review-theme').waitFor()
}

describe('campaigns: themes and plans', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('a secretary submits a theme, the township returns it, it is resubmitted, approved and public', async () => {
    const adminContext = await newContext(browser)
    const admin = await apiSession(adminContext, logins.admin())
    const campaign = await activeCampaign(adminContext)
    const { code, login } = await freshBranchWithSecretary(admin)

    const secretaryContext = await newContext(browser, desktop)
    const secretary = await secretaryContext.newPage()
    await loginThroughUi(secretary, login)
    await secretary.goto('/admin/campaigns')
    await secretary.getByTestId('campaign-link').filter({ hasText: campaign.name }).click()
    await secretary.getByTestId('open-workspace').click()
    await secretary.getByTestId('workspace-title').waitFor()
    assert.equal((await secretary.getByTestId('theme-status').textContent()).trim(), '未登记')
    await secretary.getByTestId('theme-title').fill('党员带头种好致富田')
    await secretary.getByTestId('theme-reason').fill('村里以种植为主,支部带领党员示范户发展特色种植,带动群众增收。')
    await secretary.getByTestId('theme-tasks').locator('.el-checkbox').first().click()
    await secretary.getByTestId('theme-carriers').locator('.el-checkbox').first().click()
    await secretary.getByTestId('theme-submit').click()
    await secretary.getByTestId('theme-status').filter({ hasText: '待审核' }).waitFor()
    await screenshot(secretary, 'campaign-theme-submitted')

    const townshipContext = await newContext(browser, desktop)
    const township = await townshipContext.newPage()
    await loginThroughUi(township, logins.township())
    await openReview(township, campaign.id, code)
    await township.getByTestId('review-comment').fill('请写明带动多少户群众增收')
    await township.getByTestId('review-return').click()
    await township.getByText('已退回', { exact: true }).first().waitFor()

    await secretary.reload()
    const returned = secretary.getByTestId('theme-return-comment')
    await returned.waitFor()
    assert.match(await returned.textContent(), /请写明带动多少户群众增收/)
    await secretary.getByTestId('theme-title').fill('党员带头种好致富田 带动百户增收')
    await secretary.getByTestId('theme-submit').click()
    await secretary.getByTestId('theme-status').filter({ hasText: '待审核' }).waitFor()

    await openReview(township, campaign.id, code)
    assert.match(await township.getByTestId('review-theme').textContent(), /带动百户增收/)
    await township.getByTestId('coverage-chart').locator('canvas').waitFor()
    await screenshot(township, 'campaign-admin-review')
    await docsScreenshot(township, 'campaign-admin')
    await township.getByTestId('review-approve').click()
    await township.locator(`[data-testid="review-open"][data-unit="${code}"]`).waitFor({ state: 'detached' })

    const publicContext = await newContext(browser, phone)
    const publicPage = await publicContext.newPage()
    await publicPage.goto(`/u/${code}`)
    const title = publicPage.getByTestId('public-theme-title')
    await title.waitFor()
    assert.equal((await title.textContent()).trim(), '党员带头种好致富田 带动百户增收')
    assert.equal(await publicPage.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no sideways scrolling at 375 px')
    await screenshot(publicPage, 'campaign-public-theme-375')

    await Promise.all([publicContext.close(), townshipContext.close(), secretaryContext.close(), adminContext.close()])
  })

  it('a resident comments on a plan in consultation from a phone, without an account', async () => {
    const context = await newContext(browser, phone)
    const plan = await (await context.request.get(`/api/v1/units/${encodeURIComponent(env('XF_SECRETARY_UNIT'))}/plan`)).json()
    assert.equal(plan.accepting_comments, true, "the demo secretary's branch has a plan open for comment")

    const page = await context.newPage()
    await page.goto(`/u/${encodeURIComponent(env('XF_SECRETARY_UNIT'))}`)
    await page.getByTestId('public-theme-title').waitFor()
    await docsScreenshot(page, 'campaign-public')
    await page.getByTestId('public-plan-link').click()
    await page.getByTestId('public-plan-title').waitFor()
    assert.equal(await page.locator('[data-testid="public-plan-body"] h2').count() > 0, true, 'the Markdown is rendered')
    await page.getByTestId('hidden-notice').first().waitFor()
    assert.match(await page.getByTestId('hidden-notice').first().textContent(), /^该意见已被管理员隐藏,理由:.+/)

    const text = `希望增加夜间便民服务 ${Date.now().toString(36)}`
    await page.getByTestId('comment-author').locator('input').fill('王大妈')
    await page.getByTestId('comment-body').locator('textarea').fill(text)
    await page.getByTestId('comment-send').click()
    const mine = page.getByTestId('public-comment').filter({ hasText: text })
    await mine.waitFor()
    assert.match(await mine.textContent(), /王大妈/)
    assert.match(await mine.textContent(), /待答复/)
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 375), true, 'no sideways scrolling at 375 px')
    await screenshot(page, 'campaign-public-plan-375')

    // Anonymous comments are limited per client address: once the limit is
    // reached the form says when to try again.
    let status = 201
    for (let i = 0; i < 10 && status !== 429; i++) {
      status = (await context.request.post(`/api/v1/plans/${plan.id}/comments`, { data: { body: `限流测试 ${i}`, author_name: '' } })).status()
    }
    assert.equal(status, 429)
    await page.getByTestId('comment-body').locator('textarea').fill('再提一条意见')
    await page.getByTestId('comment-send').click()
    const refusal = page.getByTestId('comment-error')
    await refusal.waitFor()
    assert.match(await refusal.textContent(), /请 \d+ 秒后再试/)
    await screenshot(page, 'campaign-public-plan-429')
    await context.close()
  })

  it('a branch drafts its plan in Markdown, previews it safely and attaches a file', async () => {
    const adminContext = await newContext(browser)
    const admin = await apiSession(adminContext, logins.admin())
    const campaign = await activeCampaign(adminContext)
    const { code, login } = await freshBranchWithSecretary(admin)

    const context = await newContext(browser, desktop)
    const page = await context.newPage()
    const dialogs = []
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message())
      await dialog.dismiss()
    })
    await loginThroughUi(page, login)
    await page.goto(`/admin/campaigns/${campaign.id}/units/${code}`)
    await page.getByText('起草活动方案').click()
    await page.getByTestId('plan-heading').waitFor()
    await page.getByTestId('plan-body').fill('## 目标\n\n- 建好**党员示范田**\n\n<script>alert(1)</script>\n\n[点我](javascript:alert(2))')
    await page.getByText('预览', { exact: true }).click()
    const preview = page.getByTestId('plan-preview')
    await preview.locator('h2').filter({ hasText: '目标' }).waitFor()
    assert.equal(await preview.locator('strong').textContent(), '党员示范田')
    assert.equal(await preview.locator('script').count(), 0, 'raw HTML is not rendered')
    assert.equal(await preview.locator('a[href^="javascript"]').count(), 0, 'script links are dropped')

    await page.getByText('编辑(Markdown)').click()
    const planId = new URL(page.url()).pathname.split('/').pop()
    // The link shows as soon as the upload answers; the plan is saved by the PUT that follows it.
    const saved = page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith(`/api/v1/admin/plans/${planId}`))
    await page.getByTestId('plan-upload').setInputFiles({ name: '示范田.png', mimeType: 'image/png', buffer: onePixelPng })
    await page.getByRole('link', { name: '示范田.png' }).waitFor()
    assert.equal((await saved).status(), 200)
    const plan = await (await context.request.get(`/api/v1/admin/plans/${planId}`)).json()
    assert.equal(plan.attachments.length, 1, 'the attachment is saved with the plan')
    assert.deepEqual(dialogs, [])
    await screenshot(page, 'campaign-admin-plan-draft')
    await Promise.all([context.close(), adminContext.close()])
  })

  it('the secretary cannot adopt during the period, answers a comment, the township hides one; the public sees both', async () => {
    const publicContext = await newContext(browser, phone)
    const unit = encodeURIComponent(env('XF_SECRETARY_UNIT'))
    const plan = await (await publicContext.request.get(`/api/v1/units/${unit}/plan`)).json()
    const [toAnswer, toHide] = plan.comments.filter((c) => !c.hidden && !c.answer)
    assert.ok(toAnswer && toHide, 'the plan has two unanswered comments')

    const secretaryContext = await newContext(browser, desktop)
    const secretary = await secretaryContext.newPage()
    await loginThroughUi(secretary, logins.secretary())
    await secretary.goto(`/admin/plans/${plan.id}`)
    await secretary.getByTestId('plan-adopt').click()
    await secretary.locator('.el-message-box__btns .el-button--primary').click()
    const refusal = secretary.getByTestId('adopt-refusal')
    await refusal.waitFor()
    assert.match(await refusal.textContent(), /征求意见期尚未结束/)
    const row = secretary.getByTestId('admin-comment').filter({ hasText: toAnswer.body })
    await row.getByTestId('comment-answer').click()
    await secretary.getByText('部分采纳', { exact: true }).click()
    await secretary.getByTestId('answer-reason').fill('修路已列入村里明年计划,本方案先安排便民服务。')
    await secretary.getByTestId('answer-send').click()
    await row.getByText('部分采纳').waitFor()
    await screenshot(secretary, 'campaign-admin-plan')

    const townshipContext = await newContext(browser, desktop)
    const township = await townshipContext.newPage()
    await loginThroughUi(township, logins.township())
    await township.goto(`/admin/plans/${plan.id}`)
    const spam = township.getByTestId('admin-comment').filter({ hasText: toHide.body })
    await spam.getByTestId('comment-hide').click()
    await township.locator('.el-message-box__input input').fill('与方案无关')
    await township.locator('.el-message-box__btns .el-button--primary').click()
    await spam.getByText('已隐藏').waitFor()

    const page = await publicContext.newPage()
    await page.goto(`/plans/${plan.id}`)
    await page.getByTestId('public-plan-title').waitFor()
    const answered = page.getByTestId('public-comment').filter({ hasText: toAnswer.body })
    assert.match(await answered.getByTestId('public-answer').textContent(), /部分采纳.*修路已列入村里明年计划/)
    await page.getByTestId('hidden-notice').filter({ hasText: '该意见已被管理员隐藏,理由:与方案无关' }).waitFor()
    assert.equal(await page.getByText(toHide.body).count(), 0, 'the hidden text is not public')
    await Promise.all([page.context().close(), secretaryContext.close(), townshipContext.close()])
  })
})
