import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, env, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

describe('role scope of a branch secretary', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('sees only their branch in the tree and gets "not found" for another branch', async () => {
    const ownUnit = env('XF_SECRETARY_UNIT')
    const otherUnit = env('XF_OTHER_UNIT')
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await loginThroughUi(page, logins.secretary())

    await page.goto('/admin/units')
    const topNodes = page.getByTestId('unit-tree').locator(':scope > .el-tree-node')
    await topNodes.first().waitFor()
    assert.equal(await topNodes.count(), 1, 'exactly one unit at the top of the tree')
    const own = (await (await context.request.get(`/api/v1/admin/units/${encodeURIComponent(ownUnit)}`)).json())
    assert.match(await topNodes.first().textContent(), new RegExp(own.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))

    await page.goto(`/admin/units/${encodeURIComponent(otherUnit)}`)
    await page.getByTestId('unit-not-found').waitFor()
    assert.equal(await page.getByTestId('unit-detail-name').count(), 0)
    await screenshot(page, 'secretary-other-unit-not-found')
    await context.close()
  })

  it('the API answers 404 for another branch, which exists for an admin', async () => {
    const otherUnit = encodeURIComponent(env('XF_OTHER_UNIT'))
    const adminContext = await newContext(browser)
    const admin = await apiSession(adminContext, logins.admin())
    assert.equal((await admin.get(`/api/v1/admin/units/${otherUnit}`)).status(), 200)

    const context = await newContext(browser)
    const secretary = await apiSession(context, logins.secretary())
    assert.equal((await secretary.get(`/api/v1/admin/units/${otherUnit}`)).status(), 404)
    assert.equal((await secretary.get(`/api/v1/admin/units/${otherUnit}/members`)).status(), 404)
    assert.equal((await secretary.patch(`/api/v1/admin/units/${otherUnit}`, { name: '越权修改' })).status(), 404)
    assert.notEqual((await (await admin.get(`/api/v1/admin/units/${otherUnit}`)).json()).name, '越权修改')
    await adminContext.close()
    await context.close()
  })
})
