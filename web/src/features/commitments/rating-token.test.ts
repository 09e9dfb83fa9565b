import { describe, expect, it } from 'vitest'
import { ratedAs, ratingToken, rememberRating } from './rating-token'
import { memoryStorage } from '../../shared/memory-storage'

describe("the browser's rating token", () => {
  it('is random, at least 16 characters, and kept', () => {
    const storage = memoryStorage()
    const token = ratingToken(storage)
    expect(token).toMatch(/^[0-9a-f]{32}$/)
    expect(ratingToken(storage)).toBe(token)
    expect(ratingToken(memoryStorage())).not.toBe(token)
  })

  it('replaces a kept value too short to be accepted', () => {
    const storage = memoryStorage()
    storage.setItem('xf.commitments.token', 'short')
    expect(ratingToken(storage)).toHaveLength(32)
  })

  it('still gives a token when the storage refuses', () => {
    const broken = { ...memoryStorage(), getItem: () => null, setItem: () => { throw new Error('quota') } } as Storage
    expect(ratingToken(broken)).toHaveLength(32)
  })

  it('remembers which commitments this browser rated', () => {
    const storage = memoryStorage()
    expect(ratedAs('1', storage)).toBeNull()
    rememberRating('1', 'satisfied', storage)
    rememberRating('2', 'dissatisfied', storage)
    expect(ratedAs('1', storage)).toBe('satisfied')
    expect(ratedAs('2', storage)).toBe('dissatisfied')
  })
})
