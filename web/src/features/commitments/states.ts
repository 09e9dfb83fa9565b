// What each state lets a page offer, and small formatting rules. The server
// decides (features/commitments/commitments_rules.cpp) and answers a refusal
// with its reason; these only keep away buttons that could never succeed.
import type { CommitmentStatus, Grade, ItemInput, ProgressUpdate, Rating, ReviewSource } from './types'

export const STATUSES: CommitmentStatus[] = ['draft', 'submitted', 'published', 'closed']
export const GRADES: Grade[] = ['fulfilled', 'partly_fulfilled', 'not_fulfilled']
export const RATINGS: Rating[] = ['satisfied', 'basically_satisfied', 'dissatisfied']
export const MAX_ITEMS = 20
export const MAX_EVIDENCE = 9

/** The lifecycle as the steps bar shows it: 提诺 → 审诺 → 公开 → 践诺 → 评诺. */
export const STEPS = ['pledge', 'vet', 'publish', 'fulfil', 'review'] as const
export type Step = (typeof STEPS)[number]

interface Progressing {
  status: CommitmentStatus
  due_on: string
  progress: number
  today?: string
  progress_updates?: unknown[]
  reviews?: unknown[]
}

/** Reviews (评诺) open once the commitment is due or complete. */
export function reviewable(c: Progressing): boolean {
  if (c.status !== 'published') return false
  return c.progress >= 100 || (!!c.today && !!c.due_on && c.due_on <= c.today)
}

/** The index in STEPS of the step the commitment is at; STEPS.length once closed. */
export function currentStep(c: Progressing): number {
  switch (c.status) {
    case 'draft':
      return 0
    case 'submitted':
      return 1
    case 'published':
      if (reviewable(c) || (c.reviews?.length ?? 0) > 0) return 4
      return (c.progress_updates?.length ?? 0) > 0 ? 3 : 2
    case 'closed':
      return STEPS.length
  }
}

export type CommitmentAction = 'edit' | 'submit' | 'approve' | 'return' | 'revise' | 'progress' | 'review' | 'close'

/**
 * `vetter`: the user holds a grant above the unit (the parent vets, a
 * secretary never approves its own branch's pledge).
 */
export function commitmentActions(c: Progressing, vetter: boolean): CommitmentAction[] {
  switch (c.status) {
    case 'draft':
      return ['edit', 'submit']
    case 'submitted':
      return vetter ? ['approve', 'return'] : []
    case 'published':
      return reviewable(c) ? ['revise', 'progress', 'review', ...(vetter ? (['close'] as const) : [])] : ['revise', 'progress']
    case 'closed':
      return []
  }
}

/** Review sources a user may write: the superior's only from above, self and peer from the unit. */
export function reviewSources(vetter: boolean): ReviewSource[] {
  return vetter ? ['superior'] : ['self', 'peer']
}

/** A progress update's amount: "60 户" towards a target, or "60%". */
export function progressAmount(update: Pick<ProgressUpdate, 'value' | 'percent'>, unit: string): string {
  if (update.value !== null && update.value !== undefined) return `${formatNumber(update.value)} ${unit}`.trim()
  if (update.percent !== null && update.percent !== undefined) return `${formatNumber(update.percent)}%`
  return ''
}

/** A number without trailing zeros, at most one decimal ("12", "12.5"). */
export function formatNumber(n: number): string {
  return String(Math.round(n * 10) / 10)
}

/** A progress bar's value: 0–100, whole. */
export function barPercent(progress: number): number {
  return Math.max(0, Math.min(100, Math.round(progress)))
}

/** An empty item for the draft form, due on `dueOn`. */
export function blankItem(dueOn: string): ItemInput {
  return { text: '', target_value: 1, target_unit: '', due_on: dueOn, central_task_id: '', carrier_id: '' }
}

/** The form's items from a commitment's items (for editing a draft or revising). */
export function itemInputs(items: { text: string; target_value: number; target_unit: string; due_on: string; central_task: { id: string }; carrier: { id: string } }[]): ItemInput[] {
  return items.map((i) => ({ text: i.text, target_value: i.target_value, target_unit: i.target_unit, due_on: i.due_on, central_task_id: i.central_task.id, carrier_id: i.carrier.id }))
}

/** The first day of the month of `day` (a bulletin's default period start). */
export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`
}

/** Element / Vant tag colour of a status. */
export function statusTone(status: CommitmentStatus, overdue: boolean): 'danger' | 'warning' | 'success' | 'primary' | 'info' {
  if (overdue) return 'danger'
  if (status === 'submitted') return 'warning'
  if (status === 'published') return 'primary'
  if (status === 'closed') return 'success'
  return 'info'
}

/** Sums weights; a valid set sums to 100 with the superior above 0 (the server's rule). */
export function weightsValid(w: { self: number; peer: number; public: number; superior: number }): boolean {
  const parts = [w.self, w.peer, w.public, w.superior]
  return parts.every((n) => Number.isInteger(n) && n >= 0) && parts.reduce((a, b) => a + b, 0) === 100 && w.superior > 0
}

/** The commitment figures of a bulletin, in the order its table and chart show them. */
export const COMMITMENT_FIGURES = ['published', 'public_total', 'on_time', 'overdue', 'fulfilled', 'partly_fulfilled', 'not_fulfilled'] as const

/**
 * Whether the user may vet (approve, return, the superior's comment, close):
 * a unit's commitment from above the unit — an org admin's grant on another
 * unit (the console lists only what is in scope, so that one is an
 * ancestor); a member's commitment by the member's own branch.
 */
export function isVetter(grants: { role: string; unit_code: string }[], c: { kind: 'unit' | 'member'; unit: { code: string } }): boolean {
  if (grants.some((g) => g.role === 'system_admin')) return true
  if (c.kind === 'member') return grants.some((g) => g.role === 'org_admin' || g.role === 'secretary')
  return grants.some((g) => g.role === 'org_admin' && g.unit_code !== c.unit.code)
}

/** The same colour for a Vant tag, which calls Element's "info" "default". */
export function vantTone(tone: ReturnType<typeof statusTone>): 'danger' | 'warning' | 'success' | 'primary' | 'default' {
  return tone === 'info' ? 'default' : tone
}

/** A result input's effective weight (a fraction 0–1 from the server) as a percentage ("25"). */
export function sharePercent(fraction: number): string {
  return formatNumber(fraction * 100)
}
