// Writes a .gz sibling for every text asset of at least 1 KiB in dist/, so
// the server can answer `Accept-Encoding: gzip` without compressing per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, extname } from 'node:path'
import { gzipSync, constants } from 'node:zlib'

const distDir = new URL('../dist/', import.meta.url).pathname
const textExtensions = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.txt', '.csv', '.map'])
const minimumBytes = 1024

function* filesUnder(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) yield* filesUnder(path)
    else yield path
  }
}

let written = 0
for (const path of filesUnder(distDir)) {
  if (!textExtensions.has(extname(path))) continue
  const content = readFileSync(path)
  if (content.length < minimumBytes) continue
  writeFileSync(`${path}.gz`, gzipSync(content, { level: constants.Z_BEST_COMPRESSION }))
  written += 1
}
console.log(`compress-dist: wrote ${written} .gz files`)
