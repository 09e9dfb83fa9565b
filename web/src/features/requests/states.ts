// Which actions the pages offer for a problem's state. The server enforces
// the same table (features/requests/requests.cpp); this only hides buttons
// that would be refused.
import type { Figures, Grade, RequestState } from './types'

export const STATES: RequestState[] = [
  'submitted',
  'accepted',
  'in_progress',
  'resolved',
  'confirmed',
  'closed_unconfirmed',
  'referred_elsewhere',
  'duplicate',
  'cannot_solve',
]
export const OPEN_STATES: RequestState[] = ['submitted', 'accepted', 'in_progress']
export const GRADES: Grade[] = ['satisfied', 'basically_satisfied', 'dissatisfied']

export type AdminAction = 'accept' | 'start' | 'resolve' | 'refer_up' | 'reassign' | 'close' | 'answer_reopen'

const ADMIN_ACTIONS: Record<RequestState, AdminAction[]> = {
  submitted: ['accept', 'refer_up', 'reassign', 'close'],
  accepted: ['start', 'resolve', 'reassign', 'close'],
  in_progress: ['resolve', 'reassign', 'close'],
  resolved: ['answer_reopen'],
  closed_unconfirmed: ['answer_reopen'],
  confirmed: [],
  referred_elsewhere: [],
  duplicate: [],
  cannot_solve: [],
}

/** The console's actions for a problem; answering reopen asks only while some wait. */
export function adminActions(state: RequestState, pendingReopenAsks: number): AdminAction[] {
  return ADMIN_ACTIONS[state].filter((a) => a !== 'answer_reopen' || pendingReopenAsks > 0)
}

export type PublicAction = 'confirm' | 'reopen' | 'ask_reopen' | 'update'

/** What a visitor may do: the reporter (holding the token) confirms or reopens a resolved problem; anyone may add an update or ask to reopen it. */
export function publicActions(state: RequestState, holdsToken: boolean): PublicAction[] {
  const actions: PublicAction[] = []
  if (state === 'resolved' && holdsToken) actions.push('confirm', 'reopen')
  if ((state === 'resolved' || state === 'closed_unconfirmed') && !holdsToken) actions.push('ask_reopen')
  actions.push('update')
  return actions
}

export function isOpen(state: RequestState): boolean {
  return OPEN_STATES.includes(state)
}

/** Vant / Element tag colour of a state: open (warning), fixed (success), closed not fixed (neutral). */
export function stateTone(state: RequestState): 'warning' | 'success' | 'default' {
  if (isOpen(state)) return 'warning'
  if (state === 'resolved' || state === 'confirmed' || state === 'closed_unconfirmed') return 'success'
  return 'default'
}

export type Period = 'all' | '30d' | '90d' | '180d'
export const PERIODS: Period[] = ['all', '30d', '90d', '180d']

/** The `from` date (YYYY-MM-DD, UTC) of a period ending `now`, or undefined for all time. */
export function periodStart(period: Period, now: Date): string | undefined {
  if (period === 'all') return undefined
  const days = Number.parseInt(period, 10)
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
}

/** Milliseconds as days with one decimal ("2.5"), or null when there is no figure. */
export function msToDays(ms: number | null): number | null {
  if (ms === null) return null
  return Math.round((ms / 86_400_000) * 10) / 10
}

/** The satisfaction rate as a whole percentage, or null when nobody graded. */
export function satisfactionPercent(figures: Pick<Figures, 'satisfaction_rate'>): number | null {
  return figures.satisfaction_rate === null ? null : Math.round(figures.satisfaction_rate * 100)
}

export const MAX_DESCRIPTION = 4000
export const MAX_PHOTOS = 3

/** A contact is a phone number or an e-mail address; says which field it belongs in (or neither when empty). */
export function contactFields(contact: string): { contact_phone?: string; contact_email?: string } {
  const value = contact.trim()
  if (!value) return {}
  return value.includes('@') ? { contact_email: value } : { contact_phone: value }
}
