// The round editor's form and how it maps to and from the API: targets as a
// subtree or a list of unit codes, the grade scale and the electorate classes
// with their weights, the 优秀 cap, the voting window.
import type { AdminRound, ElectorateClass, Grade, RoundInput, RoundKind } from '../types'

export type TargetMode = 'subtree' | 'units'

export interface EditorForm {
  unitCode: string
  campaignId: string
  kind: RoundKind
  name: string
  targetMode: TargetMode
  subtree: string
  /** Unit codes separated by spaces, commas or new lines. */
  unitCodes: string
  field: string
  grades: Grade[]
  classes: ElectorateClass[]
  cap: { numerator: number; denominator: number }
  opensAt: Date
  closesAt: Date
}

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * The scales the server applies when a round brings none
 * (features/evaluations/evaluations.cpp `default_scale`), shown so that the
 * admin sees and may change what voters will choose from.
 */
export function defaultGrades(kind: RoundKind): Grade[] {
  if (kind === 'unit') {
    return [
      { code: 'satisfied', name: '满意', name_en: 'Satisfied', score: 100, satisfied: true, follow_up: false },
      { code: 'basically_satisfied', name: '基本满意', name_en: 'Basically satisfied', score: 60, satisfied: true, follow_up: false },
      { code: 'dissatisfied', name: '不满意', name_en: 'Dissatisfied', score: 0, satisfied: false, follow_up: false },
    ]
  }
  return [
    { code: 'excellent', name: '优秀', name_en: 'Excellent', score: 100, satisfied: true, follow_up: false },
    { code: 'competent', name: '合格', name_en: 'Competent', score: 80, satisfied: true, follow_up: false },
    { code: 'basically_competent', name: '基本合格', name_en: 'Basically competent', score: 60, satisfied: false, follow_up: true },
    { code: 'incompetent', name: '不合格', name_en: 'Not competent', score: 0, satisfied: false, follow_up: true },
  ]
}

/** A usual starting point (README's example); weights are agreed locally and edited here. */
export function defaultClasses(kind: RoundKind): ElectorateClass[] {
  if (kind === 'unit') {
    return [
      { code: 'party_reps', name: '党员代表', weight: 30 },
      { code: 'public_reps', name: '群众代表', weight: 30 },
      { code: 'residents', name: '居民群众', weight: 40 },
    ]
  }
  // The class `members` votes with member accounts; every other class with codes.
  return [
    { code: 'members', name: '党员', weight: 60 },
    { code: 'public_reps', name: '群众代表', weight: 40 },
  ]
}

export function weightSum(classes: ElectorateClass[]): number {
  return classes.reduce((sum, c) => sum + (Number.isFinite(c.weight) ? c.weight : 0), 0)
}

export function parseUnitCodes(text: string): string[] {
  return text.split(/[\s,，、;；]+/).filter(Boolean)
}

/** A new round: voting from now (to the minute) for a week. */
export function blankForm(unitCode: string, campaignId: string, now = new Date()): EditorForm {
  const opensAt = new Date(Math.floor(now.getTime() / 60000) * 60000)
  return {
    unitCode,
    campaignId,
    kind: 'unit',
    name: '',
    targetMode: 'subtree',
    subtree: unitCode,
    unitCodes: '',
    field: '',
    grades: defaultGrades('unit'),
    classes: defaultClasses('unit'),
    cap: { numerator: 1, denominator: 3 },
    opensAt,
    closesAt: new Date(opensAt.getTime() + 7 * DAY_MS),
  }
}

/**
 * A draft to edit. The server keeps the resolved ballot units, not whether
 * they came from a subtree, so the targets come back as their list of codes.
 */
export function formFromRound(round: AdminRound): EditorForm {
  return {
    unitCode: round.owner.code,
    campaignId: round.campaign_id,
    kind: round.kind,
    name: round.name,
    targetMode: 'units',
    subtree: round.owner.code,
    unitCodes: (round.units ?? []).map((u) => u.code).join('\n'),
    field: round.field,
    grades: round.grades.map((g) => ({ ...g })),
    classes: round.classes.map((c) => ({ ...c })),
    cap: { ...round.excellent_cap },
    opensAt: new Date(round.opens_at),
    closesAt: new Date(round.closes_at),
  }
}

export function roundInput(form: EditorForm): RoundInput {
  const targets = form.targetMode === 'subtree' ? { subtree: form.subtree } : { target_units: parseUnitCodes(form.unitCodes) }
  return {
    campaign_id: form.campaignId,
    kind: form.kind,
    name: form.name.trim(),
    field: form.field,
    ...targets,
    grades: form.grades,
    classes: form.classes,
    // The 优秀 cap applies to members' final grades only.
    ...(form.kind === 'member' ? { excellent_cap: form.cap } : {}),
    opens_at: form.opensAt.toISOString(),
    closes_at: form.closesAt.toISOString(),
  }
}

/** The server's field errors of one list (`classes[2].weight` → row 2: {weight: …}), for showing them in the row. */
export function rowErrors(errors: Record<string, string>, list: string): Record<number, Record<string, string>> {
  const rows: Record<number, Record<string, string>> = {}
  const pattern = new RegExp(`^${list}\\[(\\d+)\\]\\.(\\w+)$`)
  for (const [field, message] of Object.entries(errors)) {
    const match = pattern.exec(field)
    if (!match) continue
    const row = Number(match[1])
    rows[row] = { ...rows[row], [match[2]]: message }
  }
  return rows
}

/** The errors about the target list (`target_units` and `target_units[i]`, naming the code), as one text. */
export function targetErrors(errors: Record<string, string>, codes: string[]): string {
  return Object.entries(errors)
    .flatMap(([field, message]) => {
      if (field === 'target_units' || field === 'subtree') return [message]
      const match = /^target_units\[(\d+)\]$/.exec(field)
      return match ? [`${codes[Number(match[1])] ?? match[1]}: ${message}`] : []
    })
    .join('; ')
}
