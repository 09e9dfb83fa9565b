import { describe, expect, it } from 'vitest'
import { campaignActions, campaignWritable, coverageSeries, localInputToIso, planActions, themeActions } from './states'

describe('campaign states', () => {
  it('draft may be edited and started, active closed, closed nothing', () => {
    expect(campaignActions('draft')).toEqual(['edit', 'activate'])
    expect(campaignActions('active')).toEqual(['edit', 'close'])
    expect(campaignActions('closed')).toEqual([])
    expect(campaignWritable('closed')).toBe(false)
    expect(campaignWritable('active')).toBe(true)
  })
})

describe('theme states', () => {
  it('a branch edits and submits a new, draft or returned theme', () => {
    for (const status of [null, 'draft', 'returned'] as const) expect(themeActions(status, 'active', false)).toEqual(['edit', 'submit'])
  })
  it('only a reviewer vets, and only a submitted theme', () => {
    expect(themeActions('submitted', 'active', false)).toEqual([])
    expect(themeActions('submitted', 'active', true)).toEqual(['approve', 'return'])
    expect(themeActions('approved', 'active', true)).toEqual([])
  })
  it('nothing moves outside an active campaign', () => {
    expect(themeActions('draft', 'closed', true)).toEqual([])
    expect(themeActions('submitted', 'draft', true)).toEqual([])
  })
})

describe('plan states', () => {
  it('follows draft → consultation → adopted', () => {
    expect(planActions('draft', 'active')).toEqual(['edit', 'open'])
    expect(planActions('consultation', 'active')).toEqual(['answer', 'adopt', 'hide'])
    expect(planActions('adopted', 'active')).toEqual(['hide'])
    expect(planActions('consultation', 'closed')).toEqual([])
  })
})

describe('helpers', () => {
  it('builds the coverage chart series from the per-child counts', () => {
    const unit = (name: string) => ({ code: name, name, kind: 'committee', field: '' })
    expect(
      coverageSeries([
        { unit: unit('甲镇'), units: 10, approved: 6, without_approved_theme: 4 },
        { unit: unit('乙镇'), units: 3, approved: 3, without_approved_theme: 0 },
      ]),
    ).toEqual({ names: ['甲镇', '乙镇'], approved: [6, 3], missing: [4, 0] })
  })
  it('turns a datetime-local value into ISO 8601 with the offset', () => {
    expect(localInputToIso('2026-12-01T08:00', 480)).toBe('2026-12-01T08:00:00+08:00')
    expect(localInputToIso('2026-12-01T08:00', -90)).toBe('2026-12-01T08:00:00-01:30')
    expect(localInputToIso('2026-12-01T08:00:30', 0)).toBe('2026-12-01T08:00:30+00:00')
  })
})
