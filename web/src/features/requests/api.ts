import { api, apiRequest, apiUrl, uploadFile } from '../../api/client'
import type {
  AdminProblem,
  CalendarStatus,
  Category,
  CloseOutcome,
  CommitteeFigures,
  Figures,
  Grade,
  IntakeInput,
  ListFilters,
  Problem,
  ProblemListItem,
  ProblemPage,
  RoutingRule,
  SubmittedProblem,
  Upload,
} from './types'

const enc = encodeURIComponent

function listQuery(filters: ListFilters) {
  return {
    state: filters.state,
    category: filters.category,
    from: filters.from,
    overdue: filters.overdue ? 1 : undefined,
    page: filters.page,
    page_size: filters.page_size,
  }
}

export const requestsPublicApi = {
  categories: (unitCode: string) => api.get<{ items: Category[] }>('/request-categories', { unit: unitCode }),
  submit: (input: IntakeInput) => api.post<SubmittedProblem>('/requests', input),
  similar: (unitCode: string, category: string) =>
    api.get<{ items: ProblemListItem[] }>('/requests/similar', { unit: unitCode, category }),
  track: (token: string) => api.post<{ id: string }>('/requests/track', { token }),
  get: (id: string) => api.get<Problem>(`/requests/${enc(id)}`),
  addUpdate: (id: string, text: string) => api.post<Problem>(`/requests/${enc(id)}/updates`, { text }),
  confirm: (id: string, grade: Grade, token: string | null) =>
    api.post<Problem>(`/requests/${enc(id)}/confirm`, { grade, token }),
  reopen: (id: string, reason: string, token: string | null) =>
    api.post<Problem>(`/requests/${enc(id)}/reopen`, { reason, token }),
  askReopen: (id: string, reason: string) => api.post<Problem>(`/requests/${enc(id)}/reopen-asks`, { reason }),
  ofUnit: (unitCode: string, filters: ListFilters) =>
    api.get<ProblemPage>(`/units/${enc(unitCode)}/requests`, listQuery(filters)),
  figures: (unitCode: string) => api.get<Figures>(`/units/${enc(unitCode)}/request-figures`),
}

export const requestsAdminApi = {
  queue: (unitCode: string, filters: ListFilters) =>
    api.get<ProblemPage>('/admin/requests', { unit: unitCode, ...listQuery(filters) }),
  get: (id: string) => api.get<AdminProblem>(`/admin/requests/${enc(id)}`),
  accept: (id: string, member_id: string) => api.post<AdminProblem>(`/admin/requests/${enc(id)}/accept`, { member_id }),
  start: (id: string) => api.post<AdminProblem>(`/admin/requests/${enc(id)}/start`, {}),
  resolve: (id: string, resolution: string, evidence_ids: string[]) =>
    api.post<AdminProblem>(`/admin/requests/${enc(id)}/resolve`, { resolution, evidence_ids }),
  referUp: (id: string, reason: string) => api.post<AdminProblem>(`/admin/requests/${enc(id)}/refer-up`, { reason }),
  reassign: (id: string, unit_code: string) => api.post<AdminProblem>(`/admin/requests/${enc(id)}/reassign`, { unit_code }),
  close: (id: string, outcome: CloseOutcome, reason: string, duplicate_of: string) =>
    api.post<AdminProblem>(`/admin/requests/${enc(id)}/close`, { outcome, reason, duplicate_of }),
  answerReopenAsks: (id: string, decision: 'reopen' | 'decline', reason: string) =>
    api.post<AdminProblem>(`/admin/requests/${enc(id)}/reopen-asks/answer`, { decision, reason }),
  figures: (unitCode: string, from?: string) => api.get<CommitteeFigures>('/admin/request-figures', { unit: unitCode, from }),
  categories: () => api.get<{ items: Category[] }>('/admin/request-categories'),
  createCategory: (input: Partial<Category> & { code: string }) => api.post<Category>('/admin/request-categories', input),
  updateCategory: (code: string, input: Partial<Category>) => api.patch<Category>(`/admin/request-categories/${enc(code)}`, input),
  rules: (committeeCode: string) => api.get<{ items: RoutingRule[] }>(`/admin/units/${enc(committeeCode)}/routing-rules`),
  putRule: (committeeCode: string, category: string, target_unit_code: string) =>
    apiRequest<RoutingRule>('PUT', `/admin/units/${enc(committeeCode)}/routing-rules/${enc(category)}`, { body: { target_unit_code } }),
  removeRule: (committeeCode: string, category: string) =>
    api.delete<void>(`/admin/units/${enc(committeeCode)}/routing-rules/${enc(category)}`),
  calendarStatus: () => api.get<CalendarStatus>('/admin/calendar/status'),
}

export type UploadPurpose = 'request_photo' | 'request_evidence'

/** Stores a photo or evidence file of the unit (platform/uploads/README.md), reporting progress 0..100. */
export function uploadPhoto(unitCode: string, purpose: UploadPurpose, file: File, onProgress: (percent: number) => void): Promise<Upload> {
  return uploadFile<Upload>('/uploads', { unit: unitCode, purpose }, file, file.type || 'application/octet-stream', onProgress)
}

export const thumbnailUrl = (uploadId: string) => apiUrl(`/uploads/${enc(uploadId)}/thumbnail`)
export const uploadUrl = (uploadId: string) => apiUrl(`/uploads/${enc(uploadId)}`)
