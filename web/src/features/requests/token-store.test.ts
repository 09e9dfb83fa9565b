import { describe, expect, it } from 'vitest'
import { saveToken, tokenFor, tokenFromHash, trackingLink } from './token-store'
import { memoryStorage } from '../../shared/memory-storage'

describe('tracking tokens', () => {
  it('keeps one token per problem', () => {
    const storage = memoryStorage()
    expect(tokenFor('1', storage)).toBeNull()
    saveToken('1', 'aaa', storage)
    saveToken('2', 'bbb', storage)
    expect(tokenFor('1', storage)).toBe('aaa')
    expect(tokenFor('2', storage)).toBe('bbb')
  })
  it('survives damaged storage', () => {
    const storage = memoryStorage()
    storage.setItem('xf.requests.tokens', '[not json')
    expect(tokenFor('1', storage)).toBeNull()
    saveToken('1', 'aaa', storage)
    expect(tokenFor('1', storage)).toBe('aaa')
  })
  it('carries the token in the link fragment and reads it back', () => {
    const link = trackingLink('https://x.cn', '42', 'tok en')
    expect(link).toBe('https://x.cn/r/42#t=tok%20en')
    expect(tokenFromHash(new URL(link).hash)).toBe('tok en')
    expect(tokenFromHash('')).toBeNull()
  })
})
