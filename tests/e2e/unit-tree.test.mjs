import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { docsScreenshot, launchBrowser, loginThroughUi, logins, newContext, screenshot } from './support.mjs'

describe('unit tree', () => {
  let browser
  before(async () => {
    browser = await launchBrowser()
  })
  after(async () => {
    await browser?.close()
  })

  it('expands lazily, searches, and opens a unit', async () => {
    const context = await newContext(browser, { viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await loginThroughUi(page, logins.township())

    // What the township admin should see, straight from the API.
    const roots = (await (await context.request.get('/api/v1/admin/units')).json()).items
    assert.ok(roots.length >= 1, 'the township admin has a scope root')
    const root = roots[0]
    const children = (await (await context.request.get(`/api/v1/admin/units?parent=${encodeURIComponent(root.code)}`)).json()).items
    assert.ok(children.length >= 1, 'the township has units below it')
    const child = children[0]

    await page.goto('/admin/units')
    const tree = page.getByTestId('unit-tree')
    const rootNode = tree.locator('.el-tree-node').filter({ hasText: root.name }).first()
    await rootNode.waitFor()
    // Children are fetched only when the node is expanded.
    assert.equal(await tree.getByText(child.name, { exact: true }).count(), 0)
    const childrenRequest = page.waitForRequest((req) => req.url().includes(`/api/v1/admin/units?parent=${encodeURIComponent(root.code)}`))
    await rootNode.locator('.el-tree-node__expand-icon').first().click()
    await childrenRequest
    await tree.getByText(child.name, { exact: true }).first().waitFor()
    await screenshot(page, 'unit-tree-expanded')

    await page.getByTestId('unit-search').fill(child.name)
    const results = page.getByTestId('unit-search-results')
    await results.getByText(child.name, { exact: true }).first().click()
    await page.waitForURL(new RegExp(`/admin/units/${child.code}$`))
    const detailName = page.getByTestId('unit-detail-name')
    await detailName.waitFor()
    assert.equal((await detailName.textContent()).trim(), child.name)
    await screenshot(page, 'unit-detail')

    // The README's console screenshot: the tree open and a unit's details beside it.
    await page.getByTestId('unit-search').fill('')
    await tree.getByText(child.name, { exact: true }).first().waitFor()
    await docsScreenshot(page, 'admin')
    await context.close()
  })
})
