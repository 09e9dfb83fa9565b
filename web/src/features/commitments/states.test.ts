import { describe, expect, it } from 'vitest'
import {
  barPercent,
  commitmentActions,
  currentStep,
  formatNumber,
  isVetter,
  itemInputs,
  monthStart,
  progressAmount,
  sharePercent,
  reviewable,
  reviewSources,
  STEPS,
  vantTone,
  statusTone,
  weightsValid,
} from './states'

const base = { due_on: '2026-12-31', progress: 40, today: '2026-11-25', progress_updates: [], reviews: [] }

describe('commitment actions follow the state', () => {
  it('a draft is edited and submitted by its unit', () => {
    expect(commitmentActions({ ...base, status: 'draft' }, false)).toEqual(['edit', 'submit'])
  })

  it('only a vetter approves or returns a submitted one', () => {
    expect(commitmentActions({ ...base, status: 'submitted' }, true)).toEqual(['approve', 'return'])
    expect(commitmentActions({ ...base, status: 'submitted' }, false)).toEqual([])
  })

  it('a published one is revised and reported on; reviews and closing wait until it is due or complete', () => {
    expect(commitmentActions({ ...base, status: 'published' }, true)).toEqual(['revise', 'progress'])
    expect(commitmentActions({ ...base, status: 'published', due_on: '2026-11-25' }, true)).toEqual(['revise', 'progress', 'review', 'close'])
    expect(commitmentActions({ ...base, status: 'published', progress: 100 }, false)).toEqual(['revise', 'progress', 'review'])
  })

  it('a closed one offers nothing', () => {
    expect(commitmentActions({ ...base, status: 'closed' }, true)).toEqual([])
  })

  it('reviews open on the due date or at 100 %, only while published', () => {
    expect(reviewable({ ...base, status: 'published', due_on: '2026-11-26' })).toBe(false)
    expect(reviewable({ ...base, status: 'published', due_on: '2026-11-24' })).toBe(true)
    expect(reviewable({ ...base, status: 'closed', progress: 100 })).toBe(false)
  })
})

describe('the lifecycle steps', () => {
  it('maps each state to 提诺 → 审诺 → 公开 → 践诺 → 评诺', () => {
    expect(STEPS).toEqual(['pledge', 'vet', 'publish', 'fulfil', 'review'])
    expect(currentStep({ ...base, status: 'draft' })).toBe(0)
    expect(currentStep({ ...base, status: 'submitted' })).toBe(1)
    expect(currentStep({ ...base, status: 'published' })).toBe(2)
    expect(currentStep({ ...base, status: 'published', progress_updates: [{}] })).toBe(3)
    expect(currentStep({ ...base, status: 'published', due_on: '2026-11-01' })).toBe(4)
    expect(currentStep({ ...base, status: 'closed' })).toBe(5)
  })
})

describe('who vets', () => {
  const unit = { kind: 'unit' as const, unit: { code: 'v01' } }
  it('an org admin above the unit, never the unit itself', () => {
    expect(isVetter([{ role: 'org_admin', unit_code: 'town' }], unit)).toBe(true)
    expect(isVetter([{ role: 'secretary', unit_code: 'v01' }], unit)).toBe(false)
    expect(isVetter([{ role: 'org_admin', unit_code: 'v01' }], unit)).toBe(false)
    expect(isVetter([{ role: 'system_admin', unit_code: '' }], unit)).toBe(true)
  })
  it("a member's commitment by the member's branch", () => {
    expect(isVetter([{ role: 'secretary', unit_code: 'v01' }], { ...unit, kind: 'member' })).toBe(true)
    expect(isVetter([{ role: 'member', unit_code: 'v01' }], { ...unit, kind: 'member' })).toBe(false)
  })
  it('the superior comments from above; self and peers from the unit', () => {
    expect(reviewSources(true)).toEqual(['superior'])
    expect(reviewSources(false)).toEqual(['self', 'peer'])
  })
})

describe('formatting', () => {
  it('a progress amount is a value with the unit or a percentage', () => {
    expect(progressAmount({ value: 60, percent: null }, '户')).toBe('60 户')
    expect(progressAmount({ value: null, percent: 12.25 }, '户')).toBe('12.3%')
    expect(progressAmount({ value: null, percent: null }, '户')).toBe('')
  })

  it('numbers keep at most one decimal; bars stay within 0–100', () => {
    expect(formatNumber(12)).toBe('12')
    expect(formatNumber(66.666)).toBe('66.7')
    expect(barPercent(104)).toBe(100)
    expect(barPercent(-3)).toBe(0)
    expect(barPercent(33.4)).toBe(33)
  })

  it('an effective weight is a fraction shown as a percentage', () => {
    expect(sharePercent(0.25)).toBe('25')
    expect(sharePercent(1 / 3)).toBe('33.3')
  })

  it("a bulletin's default period starts on the first of the month", () => {
    expect(monthStart('2026-11-25')).toBe('2026-11-01')
  })

  it('tags: overdue is red whatever the status; Vant calls "info" "default"', () => {
    expect(statusTone('published', true)).toBe('danger')
    expect(statusTone('draft', false)).toBe('info')
    expect(vantTone('info')).toBe('default')
    expect(vantTone('success')).toBe('success')
  })

  it('items become form inputs with their task and carrier ids', () => {
    expect(itemInputs([{ text: 'a', target_value: 3, target_unit: '户', due_on: '2026-12-01', central_task: { id: '7' }, carrier: { id: '9' } }])).toEqual([
      { text: 'a', target_value: 3, target_unit: '户', due_on: '2026-12-01', central_task_id: '7', carrier_id: '9' },
    ])
  })

  it('weights sum to 100 with the superior above 0', () => {
    expect(weightsValid({ self: 10, peer: 20, public: 40, superior: 30 })).toBe(true)
    expect(weightsValid({ self: 10, peer: 20, public: 70, superior: 0 })).toBe(false)
    expect(weightsValid({ self: 10, peer: 20, public: 40, superior: 31 })).toBe(false)
  })
})
