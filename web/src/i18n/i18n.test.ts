import { describe, expect, it } from 'vitest'
import zhCN from './zh-CN'
import en from './en'

function leafKeys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? leafKeys(value, `${prefix}${key}.`) : [`${prefix}${key}`],
  )
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
}

function valueAt(messages: object, key: string): unknown {
  return key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages)
}

describe('locales', () => {
  const zhKeys = leafKeys(zhCN)
  const enKeys = leafKeys(en)

  it('every zh-CN key exists in en', () => {
    expect(zhKeys.filter((k) => !enKeys.includes(k))).toEqual([])
  })

  it('every en key exists in zh-CN', () => {
    expect(enKeys.filter((k) => !zhKeys.includes(k))).toEqual([])
  })

  it('no message is empty', () => {
    const empty = [...zhKeys.filter((k) => !valueAt(zhCN, k)), ...enKeys.filter((k) => !valueAt(en, k))]
    expect(empty).toEqual([])
  })

  it('both languages use the same placeholders', () => {
    const mismatched = zhKeys.filter(
      (k) => placeholders(String(valueAt(zhCN, k))).join() !== placeholders(String(valueAt(en, k))).join(),
    )
    expect(mismatched).toEqual([])
  })
})
