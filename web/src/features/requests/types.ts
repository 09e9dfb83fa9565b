// The shapes of the residents' problems API (features/requests/requests_routes.cpp).

export type RequestState =
  | 'submitted'
  | 'accepted'
  | 'in_progress'
  | 'resolved'
  | 'confirmed'
  | 'closed_unconfirmed'
  | 'referred_elsewhere'
  | 'duplicate'
  | 'cannot_solve'

export type Grade = 'satisfied' | 'basically_satisfied' | 'dissatisfied'
export type Outcome = 'open' | 'fixed' | 'not_fixed'
export type CloseOutcome = 'referred_elsewhere' | 'duplicate' | 'cannot_solve'

export interface Category {
  code: string
  field: string
  name_zh: string
  name_en: string
  description: string
  respond_days: number
  resolve_days: number
  confirm_days: number
  active: boolean
  sort_order: number
}

export interface UnitRef {
  code: string
  name: string
}

interface StateFields {
  state: RequestState
  state_name_zh: string
  outcome: Outcome
  overdue: { respond: boolean; resolve: boolean }
}

export interface ProblemListItem extends StateFields {
  id: string
  category: { code: string; name_zh: string; name_en: string }
  description: string
  unit: UnitRef
  address: string
  reopen_count: number
  submitted_at: string
  updated_at: string
  respond_due_at: string
  resolve_due_at: string
}

export interface ProblemPage {
  items: ProblemListItem[]
  total: number
  page: number
  page_size: number
}

export interface TimelineEvent {
  at: string
  kind: string
  state: RequestState
  author: string
  body: string
}

export interface ReopenAsk {
  id: string
  at: string
  reason: string
  answered_at: string | null
  answer: string | null
  answer_reason: string | null
}

export interface Problem extends StateFields {
  id: string
  category: Category
  description: string
  unit: UnitRef
  reported_unit: UnitRef
  address: string
  lat: number | null
  lon: number | null
  photo_ids: string[]
  evidence_ids: string[]
  resolution: string | null
  grade: Grade | null
  grade_name_zh: string | null
  close_reason: string | null
  duplicate_of: string | null
  reopen_count: number
  submitted_at: string
  accepted_at: string | null
  resolved_at: string | null
  closed_at: string | null
  updated_at: string
  respond_due_at: string
  resolve_due_at: string
  confirm_due_at: string | null
  timeline: TimelineEvent[]
  reopen_asks: ReopenAsk[]
  commitment_ids: string[]
}

export interface SubmittedProblem extends Problem {
  tracking_token: string | null
}

export interface AdminProblem extends Problem {
  contact_phone: string | null
  contact_email: string | null
  reporter_account_id: string | null
  source: string
  assigned_member_id: string | null
  assigned_member_name: string | null
  pending_reopen_asks: number
}

export interface IntakeInput {
  category: string
  description: string
  unit_code: string
  address?: string
  photo_ids?: string[]
  contact_phone?: string
  contact_email?: string
}

export interface Figures {
  total: number
  open: number
  fixed: number
  not_fixed: number
  overdue_now: number
  responded_late: number
  resolved_late: number
  median_response_ms: number | null
  median_resolution_ms: number | null
  graded: number
  satisfied: number
  satisfaction_rate: number | null
}

export interface GroupFigures {
  key: string
  name: string
  figures: Figures
}

export interface CommitteeFigures {
  unit: UnitRef
  total: Figures
  by_unit: GroupFigures[]
  by_category: GroupFigures[]
}

export interface RoutingRule {
  category: string
  target: UnitRef
}

export interface Upload {
  id: string
  url: string
  thumbnail_url?: string
  filename: string
}

export interface CalendarStatus {
  years_with_data: number[]
  warning_years: number[]
  time_zone: string
  today: string
}

export interface ListFilters {
  state?: string
  category?: string
  from?: string
  overdue?: boolean
  page?: number
  page_size?: number
}
