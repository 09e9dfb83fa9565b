import { describe, expect, it } from 'vitest'
import { countBest, errorsByRow, excellentAllowed, finalGradesBody, gradeCounts, gradeRows, missingReason } from './final-grades'
import type { Grade, TargetResult } from '../types'

const GRADES: Grade[] = ['excellent', 'competent', 'basically_competent', 'incompetent'].map((code, i) => ({
  code,
  name: code,
  name_en: code,
  score: 100 - i * 20,
  satisfied: i < 2,
  follow_up: i >= 2,
}))

// Before a final grade is set the server gives only the figures' leading grade.
function target(id: string, vote: string | null, final?: string, reason?: string): TargetResult {
  const figures = { leading_grade: vote ?? '', satisfaction: 0, score: 0, shares: {}, votes: 0 }
  const t: TargetResult = { id, name: `m${id}`, figures, by_criterion: [] }
  return final ? { ...t, vote_grade: vote, final_grade: final, reason } : t
}

describe('final grades', () => {
  it('rounds the cap down like the server (16 full members, 1/3 → 5)', () => {
    expect(excellentAllowed({ numerator: 1, denominator: 3 }, 16)).toBe(5)
    expect(excellentAllowed({ numerator: 1, denominator: 3 }, 2)).toBe(0)
    expect(excellentAllowed({ numerator: 1, denominator: 2 }, 4)).toBe(2)
  })

  it('presets each row to the grade already set, else to the vote', () => {
    const rows = gradeRows([target('1', 'competent'), target('2', 'competent', 'excellent', '带头抗洪'), target('3', null)])
    expect(rows.map((r) => r.grade)).toEqual(['competent', 'excellent', ''])
    expect(rows[1].reason).toBe('带头抗洪')
    expect(rows.map((r) => r.voteGrade)).toEqual(['competent', 'competent', ''])
  })

  it('asks for a reason only where the grade departs from the vote', () => {
    const [same, changed] = gradeRows([target('1', 'competent'), target('2', 'competent')])
    changed.grade = 'excellent'
    expect(missingReason(same)).toBe(false)
    expect(missingReason(changed)).toBe(true)
    changed.reason = '  '
    expect(missingReason(changed)).toBe(true)
    changed.reason = '带头抗洪'
    expect(missingReason(changed)).toBe(false)
    expect(finalGradesBody([same, changed])).toEqual([
      { member_id: '1', grade: 'competent' },
      { member_id: '2', grade: 'excellent', reason: '带头抗洪' },
    ])
  })

  it('counts the best grade and the members per grade', () => {
    const rows = gradeRows([target('1', 'excellent'), target('2', 'competent'), target('3', 'competent')])
    rows[1].grade = 'excellent'
    expect(countBest(rows, GRADES)).toBe(2)
    expect(gradeCounts(rows, GRADES)).toEqual({ vote: [1, 2, 0, 0], final: [2, 1, 0, 0] })
  })

  it('puts the server errors on the rows they name', () => {
    const { rows, other } = errorsByRow([
      { field: 'grades[2].reason', message: 'reason' },
      { field: 'excellent_cap', message: 'cap' },
    ])
    expect(rows).toEqual({ 2: 'reason' })
    expect(other).toEqual(['cap'])
  })
})
