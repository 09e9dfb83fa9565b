import { describe, expect, it } from 'vitest'
import { adminActions, contactFields, msToDays, periodStart, publicActions, satisfactionPercent, stateTone } from './states'

describe('admin actions by state', () => {
  it('offers accept and refer up only for a new problem', () => {
    expect(adminActions('submitted', 0)).toEqual(['accept', 'refer_up', 'reassign', 'close'])
    expect(adminActions('accepted', 0)).toEqual(['start', 'resolve', 'reassign', 'close'])
    expect(adminActions('in_progress', 0)).not.toContain('accept')
  })
  it('offers answering reopen asks only while some wait', () => {
    expect(adminActions('resolved', 0)).toEqual([])
    expect(adminActions('resolved', 2)).toEqual(['answer_reopen'])
    expect(adminActions('closed_unconfirmed', 1)).toEqual(['answer_reopen'])
  })
  it('offers nothing on a closed problem', () => {
    for (const state of ['confirmed', 'referred_elsewhere', 'duplicate', 'cannot_solve'] as const) expect(adminActions(state, 3)).toEqual([])
  })
})

describe('public actions', () => {
  it('lets the token holder confirm or reopen a resolved problem', () => {
    expect(publicActions('resolved', true)).toEqual(['confirm', 'reopen', 'update'])
  })
  it('lets others ask to reopen a resolved problem', () => {
    expect(publicActions('resolved', false)).toEqual(['ask_reopen', 'update'])
    expect(publicActions('closed_unconfirmed', false)).toEqual(['ask_reopen', 'update'])
  })
  it('offers only an update while the problem is open', () => {
    expect(publicActions('in_progress', true)).toEqual(['update'])
  })
})

describe('figures and helpers', () => {
  it('never shows a closed-not-fixed outcome in the fixed colour', () => {
    expect(stateTone('submitted')).toBe('warning')
    expect(stateTone('confirmed')).toBe('success')
    expect(stateTone('cannot_solve')).toBe('default')
    expect(stateTone('duplicate')).toBe('default')
  })
  it('computes period starts', () => {
    const now = new Date('2026-11-25T08:00:00Z')
    expect(periodStart('all', now)).toBeUndefined()
    expect(periodStart('30d', now)).toBe('2026-10-26')
  })
  it('turns milliseconds into days and rates into percentages', () => {
    expect(msToDays(null)).toBeNull()
    expect(msToDays(1.5 * 86_400_000)).toBe(1.5)
    expect(satisfactionPercent({ satisfaction_rate: null })).toBeNull()
    expect(satisfactionPercent({ satisfaction_rate: 0.876 })).toBe(88)
  })
  it('puts a contact in the phone or e-mail field', () => {
    expect(contactFields('  ')).toEqual({})
    expect(contactFields('138 0000 0000')).toEqual({ contact_phone: '138 0000 0000' })
    expect(contactFields('a@b.cn')).toEqual({ contact_email: 'a@b.cn' })
  })
})
