import { api, apiUrl, uploadFile } from '../../api/client'
import type {
  AdminUnit,
  AdminUnitSummary,
  Field,
  Member,
  MemberInput,
  Page,
  PublicUnit,
  PublicUnitSummary,
  UnitInput,
} from './types'

const enc = encodeURIComponent

export const publicUnitsApi = {
  children: (parent?: string) => api.get<{ items: PublicUnitSummary[] }>('/units', { parent }),
  get: (code: string) => api.get<PublicUnit>(`/units/${enc(code)}`),
  fields: () => api.get<{ items: Field[] }>('/fields'),
  qrSvgUrl: (code: string) => apiUrl(`/units/${enc(code)}/qr.svg`),
}

export const adminUnitsApi = {
  children: (parent?: string) => api.get<{ items: AdminUnitSummary[] }>('/admin/units', { parent }),
  search: (q: string) => api.get<{ items: AdminUnitSummary[] }>('/admin/units/search', { q }),
  get: (code: string) => api.get<AdminUnit>(`/admin/units/${enc(code)}`),
  create: (input: UnitInput) => api.post<AdminUnit>('/admin/units', input),
  update: (code: string, changes: Partial<UnitInput>) => api.patch<AdminUnit>(`/admin/units/${enc(code)}`, changes),
  move: (code: string, parent_code: string) => api.post<AdminUnit>(`/admin/units/${enc(code)}/move`, { parent_code }),
  close: (code: string) => api.post<AdminUnit>(`/admin/units/${enc(code)}/close`),
}

export const membersApi = {
  list: (unitCode: string, query: { q: string; subtree: boolean; page: number; page_size: number }) =>
    api.get<Page<Member>>(`/admin/units/${enc(unitCode)}/members`, { ...query, subtree: query.subtree ? 1 : 0 }),
  create: (input: MemberInput) => api.post<Member>('/admin/members', input),
  update: (id: string, changes: Partial<MemberInput>) => api.patch<Member>(`/admin/members/${enc(id)}`, changes),
  move: (id: string, unit_code: string) => api.post<Member>(`/admin/members/${enc(id)}/move`, { unit_code }),
  remove: (id: string) => api.delete<void>(`/admin/members/${enc(id)}`),
}

export type ImportKind = 'units' | 'members'

export const transferApi = {
  importCsv: (kind: ImportKind, targetUnit: string, file: Blob, onProgress: (percent: number) => void) =>
    uploadFile<{ imported: number }>(
      `/admin/import/${kind}`,
      kind === 'units' ? { parent: targetUnit } : { unit: targetUnit },
      file,
      'text/csv',
      onProgress,
    ),
  exportUrl: (kind: ImportKind, unitCode: string) => apiUrl(`/admin/export/${kind}.xlsx`, { unit: unitCode }),
}
