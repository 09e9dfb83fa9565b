import { api, apiRequest, apiUrl, uploadFile } from '../../api/client'
import type {
  AdminCommitment,
  Board,
  Bulletin,
  BulletinInput,
  BulletinListItem,
  Commitment,
  CommitmentKind,
  CommitmentPage,
  DraftInput,
  Grade,
  ListFilters,
  ProgressInput,
  Rating,
  RatingCounts,
  ReviewSource,
  Upload,
  Weights,
} from './types'

const enc = encodeURIComponent
const put = <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body })
const admin = (id: string, action = '') => `/admin/commitments/${enc(id)}${action ? `/${action}` : ''}`

export const commitmentsPublicApi = {
  board: (unitCode: string) => api.get<Board>(`/units/${enc(unitCode)}/board`),
  get: (id: string) => api.get<Commitment>(`/commitments/${enc(id)}`),
  /** `token` identifies a browser without an account; the server ignores it when a session rates. */
  rate: (id: string, rating: Rating, comment: string, token: string) =>
    api.post<{ ratings: RatingCounts }>(`/commitments/${enc(id)}/ratings`, { rating, comment, token }),
  weights: (campaignId: string) => api.get<Weights>(`/campaigns/${enc(campaignId)}/commitment-weights`),
}

export const commitmentsAdminApi = {
  list: (filters: ListFilters) =>
    api.get<CommitmentPage>('/admin/commitments', {
      unit: filters.unit,
      subtree: filters.subtree ? 1 : undefined,
      status: filters.status,
      campaign: filters.campaign,
      overdue: filters.overdue ? 1 : undefined,
      mine: filters.mine ? 1 : undefined,
      page: filters.page,
      page_size: filters.page_size,
    }),
  get: (id: string) => api.get<AdminCommitment>(admin(id)),
  create: (campaign_id: string, kind: CommitmentKind, unit_code: string, input: DraftInput) =>
    api.post<AdminCommitment>('/admin/commitments', { campaign_id, kind, ...(kind === 'unit' ? { unit_code } : {}), ...input }),
  update: (id: string, input: DraftInput) => put<AdminCommitment>(admin(id), input),
  submit: (id: string) => api.post<AdminCommitment>(admin(id, 'submit')),
  approve: (id: string, comment: string) => api.post<AdminCommitment>(admin(id, 'approve'), { comment }),
  return: (id: string, reason: string) => api.post<AdminCommitment>(admin(id, 'return'), { reason }),
  revise: (id: string, input: DraftInput, reason: string) => api.post<AdminCommitment>(admin(id, 'revise'), { ...input, reason }),
  progress: (id: string, input: ProgressInput) => api.post<AdminCommitment>(admin(id, 'progress'), input),
  review: (id: string, source: ReviewSource, grade: Grade, comment: string) =>
    api.post<AdminCommitment>(admin(id, 'reviews'), { source, grade, comment }),
  close: (id: string) => api.post<AdminCommitment>(admin(id, 'close')),
  setWeights: (campaignId: string, weights: Weights) => put<Weights>(`/admin/campaigns/${enc(campaignId)}/commitment-weights`, weights),
}

/** Stores an evidence photo or PDF of the unit (platform/uploads/README.md), reporting progress 0..100. */
export function uploadEvidence(unitCode: string, file: File, onProgress: (percent: number) => void): Promise<Upload> {
  return uploadFile<Upload>('/uploads', { unit: unitCode, purpose: 'commitment_evidence' }, file, file.type || 'application/octet-stream', onProgress)
}

export const bulletinsAdminApi = {
  list: (unitCode: string) => api.get<{ items: BulletinListItem[] }>('/admin/bulletins', { unit: unitCode }),
  generate: (input: BulletinInput) => api.post<Bulletin>('/admin/bulletins', input),
  get: (id: string) => api.get<Bulletin>(`/admin/bulletins/${enc(id)}`),
  update: (id: string, input: { title?: string; intro?: string; closing?: string }) => api.patch<Bulletin>(`/admin/bulletins/${enc(id)}`, input),
  regenerate: (id: string) => api.post<Bulletin>(`/admin/bulletins/${enc(id)}/regenerate`),
  publish: (id: string) => api.post<Bulletin>(`/admin/bulletins/${enc(id)}/publish`),
  xlsxUrl: (id: string) => apiUrl(`/admin/bulletins/${enc(id)}/figures.xlsx`),
}

export const bulletinsPublicApi = {
  ofUnit: (unitCode: string) => api.get<{ items: BulletinListItem[] }>(`/units/${enc(unitCode)}/bulletins`),
  get: (id: string) => api.get<Bulletin>(`/bulletins/${enc(id)}`),
  xlsxUrl: (id: string) => apiUrl(`/bulletins/${enc(id)}/figures.xlsx`),
}
