import { describe, expect, it } from 'vitest'
import type { AdminRound } from '../types'
import { blankForm, defaultClasses, formFromRound, parseUnitCodes, roundInput, rowErrors, targetErrors, weightSum } from './editor'

describe('round editor', () => {
  it('starts a unit round over the owner subtree, voting from this minute for a week, weights summing to 100', () => {
    const form = blankForm('qinghe', '42', new Date('2026-11-25T13:10:26.500Z'))
    expect(form.subtree).toBe('qinghe')
    expect(form.opensAt.toISOString()).toBe('2026-11-25T13:10:00.000Z')
    expect(form.closesAt.toISOString()).toBe('2026-12-02T13:10:00.000Z')
    expect(form.grades.map((g) => g.name)).toEqual(['满意', '基本满意', '不满意'])
    expect(weightSum(form.classes)).toBe(100)
    expect(weightSum(defaultClasses('member'))).toBe(100)
  })

  it('sends either the subtree or the list of codes, and the cap only for a member round', () => {
    const form = blankForm('qinghe', '42', new Date('2026-11-25T13:10:00Z'))
    form.name = '  2026年群众评议 '
    const bySubtree = roundInput(form)
    expect(bySubtree.subtree).toBe('qinghe')
    expect(bySubtree.target_units).toBeUndefined()
    expect(bySubtree.excellent_cap).toBeUndefined()
    expect(bySubtree.name).toBe('2026年群众评议')

    form.kind = 'member'
    form.targetMode = 'units'
    form.unitCodes = 'qh-a, qh-b\nqh-c，qh-d  '
    const byList = roundInput(form)
    expect(byList.target_units).toEqual(['qh-a', 'qh-b', 'qh-c', 'qh-d'])
    expect(byList.subtree).toBeUndefined()
    expect(byList.excellent_cap).toEqual({ numerator: 1, denominator: 3 })
  })

  it('edits a draft with its ballot units listed as codes', () => {
    const round = {
      id: '7',
      campaign_id: '42',
      kind: 'unit',
      name: '评议',
      state: 'draft',
      field: 'rural',
      opens_at: '2026-11-25T00:00:00Z',
      closes_at: '2026-11-30T00:00:00Z',
      criteria: [],
      grades: blankForm('', '').grades,
      classes: [{ code: 'residents', name: '居民', weight: 100 }],
      excellent_cap: { numerator: 1, denominator: 3 },
      campaign_name: '',
      owner: { code: 'qinghe', name: '清河县' },
      codes_issued: 0,
      targets: 2,
      units: [
        { code: 'qh-a', name: 'A', field: 'rural' },
        { code: 'qh-b', name: 'B', field: 'rural' },
      ],
      batches: [],
    } satisfies AdminRound
    const form = formFromRound(round)
    expect(form.targetMode).toBe('units')
    expect(parseUnitCodes(form.unitCodes)).toEqual(['qh-a', 'qh-b'])
    expect(roundInput(form)).toMatchObject({ field: 'rural', target_units: ['qh-a', 'qh-b'], opens_at: '2026-11-25T00:00:00.000Z' })
    // The form's rows are copies: editing them leaves the loaded round alone.
    form.classes[0].weight = 50
    expect(round.classes[0].weight).toBe(100)
  })

  it('puts the server field errors beside the row and the unit code they name', () => {
    const errors = { classes: '权重之和须为 100%', 'classes[1].weight': '1 到 100', 'classes[1].code': '重复', 'target_units[1]': '不在管辖范围内', name: '请填写' }
    expect(rowErrors(errors, 'classes')).toEqual({ 1: { weight: '1 到 100', code: '重复' } })
    expect(rowErrors(errors, 'grades')).toEqual({})
    expect(targetErrors(errors, ['qh-a', 'elsewhere'])).toBe('elsewhere: 不在管辖范围内')
  })
})
