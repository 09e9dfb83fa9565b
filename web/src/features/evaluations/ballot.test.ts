import { describe, expect, it } from 'vitest'
import { displayCode, emptyGrades, localName, missingChoices, withoutCommonPrefix } from './ballot'
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
})
