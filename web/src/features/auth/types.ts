export type Role = 'system_admin' | 'org_admin' | 'secretary' | 'auditor' | 'member' | 'resident'
export const ROLES: Role[] = ['system_admin', 'org_admin', 'secretary', 'auditor', 'member', 'resident']

export interface Grant {
  grant_id: string
  role: Role
  unit_id?: string
  unit_code: string
  unit_name: string
}

export interface SessionUser {
  id: string
  username: string
  display_name: string
  lang: string
  roles: Grant[]
  /** The member record the account is linked to (own commitments, member ballots); null if none. */
  member_id?: string | null
}

export interface SessionResponse {
  csrf_token: string
  user: SessionUser
}

export interface AdminUser {
  id: string
  username: string
  display_name: string
  disabled: boolean
  roles: Grant[]
}
