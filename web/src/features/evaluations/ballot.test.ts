import { describe, expect, it } from 'vitest'
import { ApiError } from '../../api/client'
import { displayCode, emptyGrades, localName, missingChoices, sendWhileBusy, withoutCommonPrefix } from './ballot'
import type { Ballot } from './types'

const ballot = {
  round: { criteria: [{ name: '领导班子好', name_en: 'Good leadership team' }, { name: '工作业绩好', name_en: '' }] },
  targets: [{ id: 't1', name: 'A' }, { id: 't2', name: 'B' }],
} as unknown as Ballot

describe('the ballot page helpers', () => {
  it('starts with every target × criterion ungraded and counts what is missing', () => {
    const grades = emptyGrades(ballot)
    expect(grades).toEqual({ t1: ['', ''], t2: ['', ''] })
    expect(missingChoices(grades)).toBe(4)
    grades.t1 = ['satisfied', 'dissatisfied']
    expect(missingChoices(grades)).toBe(2)
  })

  it('shows a typed code in the printed groups of six', () => {
    expect(displayCode('y1j8h6 5e0qga-5m3pgh')).toBe('Y1J8H6-5E0QGA-5M3PGH')
    expect(displayCode('ab')).toBe('AB')
    expect(displayCode('')).toBe('')
  })

  it('names a criterion in English only when it has an English name', () => {
    expect(localName(ballot.round.criteria[0], 'en')).toBe('Good leadership team')
    expect(localName(ballot.round.criteria[1], 'en')).toBe('工作业绩好')
    expect(localName(ballot.round.criteria[0], 'zh-CN')).toBe('领导班子好')
  })

  it('shortens unit names to what tells them apart, never to nothing', () => {
    expect(withoutCommonPrefix(['中共清河县白马镇委员会', '中共清河县城关镇委员会'])).toEqual(['白马镇委员会', '城关镇委员会'])
    expect(withoutCommonPrefix(['中共清河县委员会'])).toEqual(['中共清河县委员会'])
    expect(withoutCommonPrefix(['清河', '清河县'])).toEqual(['清河', '清河县'])
    expect(withoutCommonPrefix([])).toEqual([])
  })

  it('sends a ballot again after Retry-After while the server is busy, and only then', async () => {
    const waited: number[] = []
    const wait = async (s: number) => { waited.push(s) }
    let calls = 0
    const busyTwice = async () => {
      calls++
      if (calls < 3) throw new ApiError(503, 'unavailable', 'busy', [], 2)
      return 'receipt'
    }
    expect(await sendWhileBusy(busyTwice, 3, wait)).toBe('receipt')
    expect(waited).toEqual([2, 2])

    calls = 0
    const used = async () => { calls++; throw new ApiError(409, 'conflict', 'used') }
    await expect(sendWhileBusy(used, 3, wait)).rejects.toThrow('used')
    expect(calls).toBe(1)

    const alwaysBusy = async () => { throw new ApiError(503, 'unavailable', 'busy', [], 1) }
    await expect(sendWhileBusy(alwaysBusy, 2, wait)).rejects.toThrow('busy')
  })
})
