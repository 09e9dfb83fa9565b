// The shapes of the evaluations API (docs/api/openapi.yaml, tag "evaluations (评议)").

export interface Grade {
  code: string
  name: string
  name_en: string
  score: number
  satisfied: boolean
  follow_up: boolean
}

export interface Criterion {
  name: string
  name_en: string
}

export interface ElectorateClass {
  code: string
  name: string
  weight: number
}

export type RoundState = 'draft' | 'open' | 'closed' | 'published'

export interface Round {
  id: string
  campaign_id: string
  kind: 'unit' | 'member'
  name: string
  state: RoundState
  field: string
  opens_at: string
  closes_at: string
  criteria: Criterion[]
  grades: Grade[]
  classes: ElectorateClass[]
}

export interface BallotTarget {
  id: string
  name: string
}

/** What a ballot code opens: GET /ballots/{code}. */
export interface Ballot {
  round: Round
  unit: { code: string; name: string; field: string }
  class: { code: string; name: string }
  targets: BallotTarget[]
}

/** Target id → one grade code per criterion, in the round's order. */
export type BallotGrades = Record<string, string[]>

export interface CanonicalBallot {
  round: string
  unit: string
  class: string
  /** Target id → grade index per criterion. */
  grades: Record<string, number[]>
}

export interface Receipt {
  round_id: string
  receipt: string
  salt: string
  ballot: CanonicalBallot
}

export interface Figures {
  leading_grade: string
  satisfaction: number
  score: number
  shares: Record<string, number>
  votes: number
}

/** Participation (and the figures once grades are public) of one unit, field or the whole subtree. */
export interface ResultRow {
  code: string
  name: string
  issued: number
  cast: number
  participation: number
  figures: Figures | null
}

export interface RoundResults {
  round: Round
  grades_visible: boolean
  total: ResultRow
  by_field: ResultRow[]
  by_unit: ResultRow[]
}

export interface ReceiptCheck {
  counted: boolean
  receipt: string
  ballot: CanonicalBallot
}

export interface CodeBatch {
  id: string
  unit_code: string
  class: string
  codes: number
  created_at: string
}

export interface BallotUnit {
  code: string
  name: string
  field: string
}

/** A round in the console (list and detail): counts of targets, the ballot units and the batches issued. */
export interface AdminRound extends Round {
  campaign_name: string
  owner: { code: string; name: string }
  codes_issued: number
  targets: number
  units?: BallotUnit[]
  batches: CodeBatch[]
  excellent_cap: ExcellentCap
}

/** 优秀 may be at most numerator/denominator of a branch's full members. */
export interface ExcellentCap {
  numerator: number
  denominator: number
}

export type RoundKind = Round['kind']

/** PUT /admin/evaluation-rounds/{id}: targets are `target_units` or every branch below `subtree`, never both. */
export interface RoundInput {
  campaign_id: string
  kind: RoundKind
  name: string
  field: string
  target_units?: string[]
  subtree?: string
  grades: Grade[]
  classes: ElectorateClass[]
  excellent_cap?: ExcellentCap
  opens_at: string
  closes_at: string
}

/** POST /admin/evaluation-rounds: the owning committee as well. */
export interface NewRoundInput extends RoundInput {
  unit_code: string
}

export type CodesFormat = 'json' | 'csv' | 'html'

export interface CodesInput {
  unit_code: string
  class: string
  count: number
}

export interface IssuedCodes {
  batch_id: string
  unit: BallotUnit
  class: string
  count: number
  codes: string[]
  ballot_url: string
}

export interface FollowUp {
  plan: string
  deadline: string
  outcome: string
  updated_at?: string
}

/** One graded (full) member of a branch: vote figures, the vote-derived grade and the branch's final grade. */
export interface TargetResult {
  id: string
  name: string
  figures: Figures
  by_criterion: Figures[]
  vote_grade?: string | null
  final_grade?: string
  /** Console only, like set_by, set_at and follow_up. */
  reason?: string
  set_by?: string
  set_at?: string
  follow_up?: FollowUp
}

/** A ballot unit's results: GET /admin/evaluation-rounds/{id}/units/{code} (and the public twin). */
export interface UnitResults {
  round: Round & { excellent_cap: ExcellentCap }
  unit: BallotUnit
  turnout: { class: string; issued: number; cast: number }[]
  grades_visible: boolean
  targets: TargetResult[]
}

export interface FinalGradeInput {
  member_id: string
  grade: string
  reason?: string
}

/** A round on a unit's public page: GET /units/{code}/evaluation-rounds. */
export interface UnitRound {
  id: string
  name: string
  kind: 'unit' | 'member'
  state: Exclude<RoundState, 'draft'>
  opens_at: string
  closes_at: string
  owner: { code: string; name: string }
  grades_visible: boolean
}
