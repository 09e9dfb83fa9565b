import { api } from '../../api/client'

export interface ChainHead {
  shard_id: string
  entries: number
  head_hash: string
}

export interface DailyHead {
  day: string
  shard_id: string
  seq: number
  hash: string
}

export interface PublicAuditSummary {
  entries: number
  head_hash: string
  chains: ChainHead[]
  daily: DailyHead[]
}

export interface AuditEntry {
  seq: number
  shard_id: string
  at: string
  actor_name: string
  action: string
  object_type: string
  object_id: string
  unit_id: string | null
  summary: string
  hash: string
  prev_hash: string
}

/** `from` and `to` are days (YYYY-MM-DD, UTC), both included; `unit` is a unit code. */
export interface AuditFilters {
  unit: string
  action: string
  actor: string
  from: string
  to: string
}

export const auditApi = {
  summary: () => api.get<PublicAuditSummary>('/audit'),
  entries: (filters: AuditFilters, before: string | null, limit: number) =>
    api.get<{ entries: AuditEntry[]; next_before: string | null }>('/admin/audit', { ...filters, before, limit }),
}
