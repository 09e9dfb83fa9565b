export type UnitKind = 'committee' | 'general_branch' | 'branch'
export const UNIT_KINDS: UnitKind[] = ['committee', 'general_branch', 'branch']

export interface Field {
  code: string
  name_zh: string
  name_en: string
}

export interface UnitRef {
  code: string
  name: string
}

export interface PublicUnitSummary {
  code: string
  name: string
  kind: UnitKind
  field: Field
  children_count: number
  member_count: number
}

export interface PublicUnit extends PublicUnitSummary {
  address: string
  parent_chain: UnitRef[]
}

export type UnitStatus = 'active' | 'closed'

export interface AdminUnitSummary {
  code: string
  name: string
  kind: UnitKind
  field: Field
  has_children: boolean
  member_count: number
  status: UnitStatus
  parent_chain?: UnitRef[]
}

export interface AdminUnit extends AdminUnitSummary {
  contact_name: string
  contact_phone: string
  address: string
  parent_chain: UnitRef[]
}

export interface UnitInput {
  code?: string
  parent_code?: string
  name: string
  kind: UnitKind
  field: string
  contact_name: string
  contact_phone: string
  address: string
}

export type MemberStatus = 'full' | 'probationary'

export interface Member {
  id: string
  name: string
  unit_code: string
  unit_name: string
  post: string
  joined_on: string
  status: MemberStatus
  /** Masked by the server; null when none is recorded. */
  phone: string | null
}

export interface MemberInput {
  unit_code?: string
  name: string
  post: string
  joined_on: string
  status: MemberStatus
  phone: string
  id_number?: string
}

export interface Page<T> {
  items: T[]
  total: number
}
