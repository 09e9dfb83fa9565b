// Pure rules of the final-grade screen, mirrored from the server
// (features/evaluations/evaluations_rules.cpp) so the secretary sees a
// problem before saving; the server still decides and its 400 is shown.
import type { FieldError } from '../../../api/client'
import type { ExcellentCap, FinalGradeInput, Grade, TargetResult } from '../types'

/** One member's row being edited. */
export interface GradeRow {
  id: string
  name: string
  voteGrade: string
  grade: string
  reason: string
}

/** How many 优秀 a branch may give: the cap of its full members, rounded down as the server does. */
export function excellentAllowed(cap: ExcellentCap, fullMembers: number): number {
  return Math.floor((fullMembers * cap.numerator) / cap.denominator)
}

/**
 * The vote-derived grade: the one recorded with the final grade once set,
 * before that the grade with the largest weighted share; '' without votes.
 */
export function voteGrade(target: TargetResult): string {
  return (target.vote_grade !== undefined ? target.vote_grade : target.figures.leading_grade) ?? ''
}

/** Rows preset to the grade already set, else the vote-derived one. */
export function gradeRows(targets: TargetResult[]): GradeRow[] {
  return targets.map((t) => ({
    id: t.id,
    name: t.name,
    voteGrade: voteGrade(t),
    grade: t.final_grade ?? voteGrade(t),
    reason: t.reason ?? '',
  }))
}

/** A grade that differs from the vote needs a written reason (看票不唯票). */
export function needsReason(row: GradeRow): boolean {
  return row.voteGrade !== '' && row.grade !== row.voteGrade
}

export function missingReason(row: GradeRow): boolean {
  return needsReason(row) && row.reason.trim() === ''
}

/** The scale's best grade (优秀) is the one the cap limits. */
export function countBest(rows: GradeRow[], grades: Grade[]): number {
  const best = grades[0]?.code
  return rows.filter((r) => r.grade === best).length
}

/** The request body, in row order (the server names rows by that index), with a reason only where it is needed. */
export function finalGradesBody(rows: GradeRow[]): FinalGradeInput[] {
  return rows.map((r) => (needsReason(r) ? { member_id: r.id, grade: r.grade, reason: r.reason.trim() } : { member_id: r.id, grade: r.grade }))
}

/** The server's field errors per row index ("grades[3].reason" → row 3), and the rest (e.g. excellent_cap) apart. */
export function errorsByRow(fields: FieldError[]): { rows: Record<number, string>; other: string[] } {
  const rows: Record<number, string> = {}
  const other: string[] = []
  for (const f of fields) {
    const match = /^grades\[(\d+)\]/.exec(f.field)
    if (!match) {
      other.push(f.message)
      continue
    }
    const i = Number(match[1])
    rows[i] = rows[i] ? `${rows[i]};${f.message}` : f.message
  }
  return { rows, other }
}

/** Members per grade: by the vote and as set now — the two series of the chart. */
export function gradeCounts(rows: GradeRow[], grades: Grade[]): { vote: number[]; final: number[] } {
  const count = (pick: (r: GradeRow) => string) => grades.map((g) => rows.filter((r) => pick(r) === g.code).length)
  return { vote: count((r) => r.voteGrade), final: count((r) => r.grade) }
}
