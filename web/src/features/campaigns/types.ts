// The shapes the campaigns API answers with (features/campaigns/campaigns_routes.cpp).
export type CampaignStatus = 'draft' | 'active' | 'closed'
export type ThemeStatus = 'draft' | 'submitted' | 'approved' | 'returned'
export type PlanStatus = 'draft' | 'consultation' | 'adopted'
export type AnswerStatus = 'adopted' | 'partly_adopted' | 'not_adopted'
export type CriteriaKind = 'unit' | 'member'
export type TemplateKind = 'goal' | 'task'

export interface UnitBrief {
  code: string
  name: string
  kind: string
  field: string
}

export interface Campaign {
  id: string
  name: string
  description: string
  starts_on: string
  ends_on: string
  status: CampaignStatus
  owner: UnitBrief
  created_at: string | null
  updated_at: string | null
}

export interface CentralTask {
  id: string
  title: string
  description: string
  target_value: number
  target_unit: string
  owner: UnitBrief
  updated_at: string | null
}

export interface Carrier {
  id: string
  name: string
  name_en: string
  description: string
  description_en: string
  fields: string[]
  retired: boolean
  retired_at: string | null
}

export interface Criterion {
  name: string
  name_en: string
  description: string
  description_en: string
}

export interface CriteriaSet {
  kind: CriteriaKind
  field: string
  overridden: boolean
  items: Criterion[]
}

export interface FieldTemplate {
  field: string
  kind: TemplateKind
  text: string
  text_en: string
}

export interface CampaignDetail extends Campaign {
  central_tasks: CentralTask[]
  carriers: Carrier[]
  criteria: CriteriaSet[]
  field_templates: FieldTemplate[]
}

export interface CampaignRef {
  id: string
  name: string
  status: CampaignStatus
}

export interface Theme {
  id: string
  campaign: CampaignRef
  unit: UnitBrief
  title: string
  reason: string
  status: ThemeStatus
  central_tasks: { id: string; title: string; target_value: number; target_unit: string }[]
  carriers: { id: string; name: string; name_en: string }[]
  review_comment?: string
  reviewer_name?: string
  submitted_at?: string | null
  reviewed_at: string | null
  updated_at: string | null
}

export interface Comment {
  id: string
  author_name: string
  anonymous: boolean
  created_at: string | null
  body: string | null
  hidden: boolean
  moderation: { reason: string; notice: string; hidden_at: string | null; hidden_by?: string } | null
  answer: { status: AnswerStatus; reason: string; answered_at: string | null; answered_by?: string } | null
}

export interface PlanSummary {
  id: string
  title: string
  status: PlanStatus
  opens_at: string | null
  closes_at: string | null
  adopted_at: string | null
}

export interface Plan extends PlanSummary {
  campaign: CampaignRef
  unit: UnitBrief
  body: string
  /** Rendered by the server with cmark in its safe mode (no raw HTML, no script URLs). */
  html: string
  attachments: string[]
  accepting_comments: boolean
  comment_count: number
  unanswered: number
  comments: Comment[]
}

export type PlanListItem = Omit<Plan, 'body' | 'html' | 'comments'>

export interface Workspace {
  campaign: Campaign
  unit: UnitBrief
  theme: Theme | null
  plan: PlanSummary | null
  central_tasks: CentralTask[]
  carriers: Carrier[]
  unit_criteria: CriteriaSet
  member_criteria: CriteriaSet
  field_templates: FieldTemplate[]
}

export interface CoverageRow {
  unit: UnitBrief
  theme: { id: string; title: string; status: ThemeStatus; submitted_at: string | null } | null
}

export interface ChildCoverage {
  unit: UnitBrief
  units: number
  approved: number
  without_approved_theme: number
}

export interface Coverage {
  unit: UnitBrief
  counts: Record<string, number>
  by_child: ChildCoverage[]
  items: CoverageRow[]
}

export interface CampaignInput {
  name: string
  description: string
  starts_on: string
  ends_on: string
}

export interface CentralTaskInput {
  title: string
  description: string
  target_value: number
  target_unit: string
  owner_unit_code: string
}

export interface CarrierInput {
  name: string
  name_en: string
  description: string
  description_en: string
  fields: string[]
}

export interface ThemeInput {
  title: string
  reason: string
  central_task_ids: string[]
  carrier_ids: string[]
}

export interface PlanInput {
  title: string
  body: string
  attachments: string[]
}

export interface Upload {
  id: string
  filename: string
  url: string
}
