// How long a resident on a slow phone connection waits for a unit's public
// board (公开承诺栏): headless Chromium, a fresh profile (nothing cached),
// the network throttled to "Slow 3G" as WebPageTest defines it (400 ms round
// trip, 400 kbit/s down and up), from navigation to the first commitment
// item painted on screen (the server's first paint of the board; the web app
// takes over when its scripts arrive). The floor, measured the same way in the same run, is one
// round trip for the bare HTML page; the limit the issue sets is 2000 ms.
//
//   node bench/board/load-time.mjs http://127.0.0.1:PORT UNIT_CODE [runs]
//
// Prints one line per run and then
//   board_ms=M floor_ms=F limit_ms=2000 bytes=B requests=N
// with M the median of the runs.
import { launchBrowser } from '../../tests/e2e/support.mjs'

const [base, code, runsArg] = process.argv.slice(2)
if (!base || !code) {
  console.error('usage: node bench/board/load-time.mjs BASE_URL UNIT_CODE [runs]')
  process.exit(2)
}
const runs = Number(runsArg ?? 5)
const kbit = 1000 / 8
const slow3g = { offline: false, latency: 400, downloadThroughput: 400 * kbit, uploadThroughput: 400 * kbit }

async function throttledPage(browser) {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', slow3g)
  let bytes = 0
  let requests = 0
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength
    requests += 1
  })
  return { context, page, traffic: () => ({ bytes, requests }) }
}

// Milliseconds from navigation start until `selector` is visible.
async function timeUntil(browser, url, selector) {
  const { context, page, traffic } = await throttledPage(browser)
  try {
    await page.goto(url, { waitUntil: 'commit', timeout: 60000 })
    await page.waitForSelector(selector, { state: 'visible', timeout: 60000 })
    const shownAt = await page.evaluate(() => performance.now())
    // Present in the DOM is not yet painted: the first contentful paint
    // waits for render-blocking styles, so the later of the two counts.
    const paintedAt = await page.evaluate(
      () => new Promise((resolve) => {
        new PerformanceObserver((list) => {
          const paint = list.getEntries().find((e) => e.name === 'first-contentful-paint')
          if (paint) resolve(paint.startTime)
        }).observe({ type: 'paint', buffered: true })
      }),
    )
    return { ms: Math.round(Math.max(shownAt, paintedAt)), ...traffic() }
  } finally {
    await context.close()
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

const browser = await launchBrowser()
try {
  const boards = []
  const floors = []
  let last = { bytes: 0, requests: 0 }
  for (let run = 1; run <= runs; run++) {
    const floor = await timeUntil(browser, `${base}/favicon.svg`, 'svg')
    last = await timeUntil(browser, `${base}/u/${encodeURIComponent(code)}`, '[data-testid="board-item"]')
    floors.push(floor.ms)
    boards.push(last.ms)
    console.log(`run ${run}: board ${last.ms} ms (${last.requests} requests, ${last.bytes} bytes), floor ${floor.ms} ms`)
  }
  console.log(`board_ms=${median(boards)} floor_ms=${median(floors)} limit_ms=2000 bytes=${last.bytes} requests=${last.requests}`)
} finally {
  await browser.close()
}
