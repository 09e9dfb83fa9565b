import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { vantIconFontFromOwnServer } from './vant-icon-font'

const require = createRequire(import.meta.url)
const iconCssPath = require.resolve('vant/es/icon/index.css')
const iconCss = readFileSync(iconCssPath, 'utf8')

interface Emitted {
  name: string
  source: Buffer
}

function runTransform(mode: 'build' | 'dev', id = iconCssPath) {
  const emitted: Emitted[] = []
  const context = {
    environment: { mode },
    emitFile: (file: Emitted) => {
      emitted.push(file)
      return 'ref123'
    },
    error: (message: string) => {
      throw new Error(message)
    },
  }
  const plugin = vantIconFontFromOwnServer()
  const transform = plugin.transform as unknown as (this: typeof context, code: string, id: string) => string | null
  return { output: transform.call(context, iconCss, id), emitted }
}

describe('Vant icon font plugin', () => {
  it('Vant still ships its icon font embedded with a CDN fallback (what the plugin expects)', () => {
    expect(iconCss).toMatch(/data:font\/woff2/)
    expect(iconCss).toMatch(/alicdn/)
  })

  it('in a build, moves the font into an asset file and drops the CDN', () => {
    const { output, emitted } = runTransform('build')
    expect(output).not.toMatch(/alicdn|data:font/)
    expect(output).toContain('src:url(__VITE_ASSET__ref123__) format("woff2")')
    expect(emitted).toHaveLength(1)
    expect(emitted[0].name).toBe('vant-icon.woff2')
    expect(emitted[0].source.subarray(0, 4).toString('latin1')).toBe('wOF2')
  })

  it('on the dev server, keeps the embedded font and drops the CDN', () => {
    const { output } = runTransform('dev')
    expect(output).not.toMatch(/alicdn/)
    expect(output).toMatch(/src:url\(data:font\/woff2;[^)]*\) format\("woff2"\)}/)
  })

  it('leaves every other file alone', () => {
    expect(runTransform('build', '/x/node_modules/vant/es/cell/index.css').output).toBeNull()
  })
})
