import type { Plugin } from 'vite'

// Vant's icon stylesheet embeds its font as a data: URL and falls back to a
// font on a public CDN. Our server's CSP allows fonts only from itself
// (`font-src 'self'`) and deployments may have no Internet, so this plugin
// moves the embedded font into a bundled file of its own and drops the
// CDN fallback: the icons then load from our own server.
const VANT_ICON_CSS = /[\\/]vant[\\/](es|lib)[\\/]icon[\\/]index\.css$/
const EMBEDDED_WOFF2 = /url\(data:font\/woff2;charset=utf-8;base64,([A-Za-z0-9+/=]+)\) format\("woff2"\)/
// The whole `src` list of the @font-face rule: the embedded woff2, then the CDN woff.
const FONT_SOURCES = /src:url\(data:font\/woff2[^)]*\) format\("woff2"\)(,url\([^)]*\) format\("[a-z0-9]+"\))*/

export function vantIconFontFromOwnServer(): Plugin {
  return {
    name: 'xf-vant-icon-font',
    enforce: 'pre',
    transform(code, id) {
      if (!VANT_ICON_CSS.test(id)) return null
      const embedded = EMBEDDED_WOFF2.exec(code)
      if (!embedded || !FONT_SOURCES.test(code)) this.error('Vant icon font not found where expected; check the Vant version')
      if (this.environment?.mode === 'dev') {
        // The dev server has no CSP: keep the embedded font, drop only the CDN.
        return code.replace(FONT_SOURCES, `src:url(data:font/woff2;charset=utf-8;base64,${embedded[1]}) format("woff2")`)
      }
      const reference = this.emitFile({ type: 'asset', name: 'vant-icon.woff2', source: Buffer.from(embedded[1], 'base64') })
      return code.replace(FONT_SOURCES, `src:url(__VITE_ASSET__${reference}__) format("woff2")`)
    },
  }
}
