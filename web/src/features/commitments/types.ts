// The shapes the commitments API answers with (features/commitments/README.md, "Endpoints").
export type CommitmentStatus = 'draft' | 'submitted' | 'published' | 'closed'
export type CommitmentKind = 'unit' | 'member'
export type Grade = 'fulfilled' | 'partly_fulfilled' | 'not_fulfilled'
export type Rating = 'satisfied' | 'basically_satisfied' | 'dissatisfied'
export type ReviewSource = 'self' | 'peer' | 'superior'
export type ResultSource = ReviewSource | 'public'

export interface UnitRef {
  code: string
  name: string
  field?: string
}

export interface CommitmentItem {
  no: number
  text: string
  target_value: number
  target_unit: string
  due_on: string
  progress: number
  completed_on: string | null
  overdue: boolean
  central_task: { id: string; title?: string }
  carrier: { id: string; name?: string }
}

export interface ItemInput {
  text: string
  target_value: number
  target_unit: string
  due_on: string
  central_task_id: string
  carrier_id: string
}

export interface RatingCounts {
  satisfied: number
  basically_satisfied: number
  dissatisfied: number
  total: number
}

export interface CommitmentSummary {
  id: string
  kind: CommitmentKind
  unit: UnitRef
  member: { name: string; post: string } | null
  title: string
  status: CommitmentStatus
  version: number
  revised_at: string | null
  due_on: string
  progress: number
  overdue: boolean
  result: Grade | null
  items: CommitmentItem[]
  updated_at?: string
}

export interface Evidence {
  id: string
  url: string
  content_type?: string
  thumbnail_url: string | null
}

export interface BoardCommitment extends CommitmentSummary {
  ratings: RatingCounts
  evidence: Evidence[]
}

export interface Board {
  unit: UnitRef
  campaign: { id: string; name: string } | null
  theme: { title: string; reason: string; central_tasks: string[]; carriers: string[] } | null
  plan: { id: string; title: string; status: 'consultation' | 'adopted' } | null
  commitments: BoardCommitment[]
  today: string
}

export interface ProgressUpdate {
  id: string
  item_no: number
  on_date: string
  text: string
  value: number | null
  percent: number | null
  author_name: string
  created_at: string
  evidence: Evidence[]
}

export interface Review {
  source: ReviewSource
  grade: Grade
  comment: string
  reviewer_name: string
  created_at: string
}

export interface Version {
  version: number
  title: string
  items: { no: number; text: string; target_value: number; target_unit: string; due_on: string; central_task_id: string; carrier_id: string }[]
  reason: string
  edited_by: string
  edited_at: string
}

export interface Weights {
  self: number
  peer: number
  public: number
  superior: number
}

export interface ResultInputs {
  weights: Weights
  /** `weight` in percent; `effective_weight` the fraction (0–1) it becomes once sources without reviews are left out. */
  sources: { source: ResultSource; count: number; score: number | null; weight: number; effective_weight: number }[]
  score: number
  result: Grade
  thresholds: { fulfilled: number; partly_fulfilled: number }
}

export interface Commitment extends CommitmentSummary {
  campaign: { id: string; name: string }
  completed_on: string | null
  today: string
  vet_comment: string
  result_score: number | null
  result_inputs: ResultInputs
  progress_updates: ProgressUpdate[]
  reviews: Review[]
  ratings: RatingCounts
  rating_comments: { rating: Rating; comment: string; created_at: string }[]
  versions: Version[]
  published_at: string | null
  closed_at: string | null
  qr_svg_url: string
}

export interface AdminCommitment extends Commitment {
  return_reason: string
  submitted_at: string | null
  created_at: string
}

export interface CommitmentPage {
  items: CommitmentSummary[]
  total: number
  today: string
}

export interface ListFilters {
  unit?: string
  subtree?: boolean
  status?: CommitmentStatus | ''
  campaign?: string
  overdue?: boolean
  mine?: boolean
  page?: number
  page_size?: number
}

export interface DraftInput {
  title: string
  items: ItemInput[]
}

export interface ProgressInput {
  item_no: number
  on_date: string
  text: string
  value?: number
  percent?: number
  evidence_ids: string[]
}

export interface UnitScore {
  field: string
  unit: UnitRef
  commitments: number
  score: number
}

export interface BulletinFigures {
  branches: number
  themes: { registered: number; approved: number }
  commitments: {
    published: number
    public_total: number
    on_time: number
    overdue: number
    fulfilled: number
    partly_fulfilled: number
    not_fulfilled: number
  }
  ratings: RatingCounts
  best: UnitScore[]
  weakest: UnitScore[]
}

export interface BulletinListItem {
  id: string
  unit: UnitRef
  campaign: { id: string; name: string }
  period_from: string
  period_to: string
  title: string
  intro: string
  closing: string
  status: 'draft' | 'published'
  generated_at: string
  published_at: string | null
  xlsx_url: string
}

export interface Bulletin extends BulletinListItem {
  figures: BulletinFigures
}

export interface BulletinInput {
  unit_code: string
  campaign_id: string
  period_from: string
  period_to: string
  title: string
}

export interface Upload {
  id: string
  url: string
  thumbnail_url?: string
  filename: string
}
