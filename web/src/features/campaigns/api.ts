import { api, apiRequest, apiUrl, errorFromResponse, requestHeaders, ApiError, NETWORK_ERROR } from '../../api/client'
import { i18n } from '../../i18n'
import type {
  AnswerStatus,
  Campaign,
  CampaignDetail,
  CampaignInput,
  Carrier,
  CarrierInput,
  CentralTask,
  CentralTaskInput,
  Comment,
  Coverage,
  CriteriaKind,
  CriteriaSet,
  Criterion,
  FieldTemplate,
  Plan,
  PlanInput,
  PlanListItem,
  TemplateKind,
  Theme,
  ThemeInput,
  Upload,
  Workspace,
} from './types'

const enc = encodeURIComponent
const put = <T>(path: string, body: unknown) => apiRequest<T>('PUT', path, { body })

export const campaignsAdminApi = {
  list: () => api.get<{ items: Campaign[] }>('/admin/campaigns'),
  create: (owner_code: string, input: CampaignInput) => api.post<Campaign>('/admin/campaigns', { owner_code, ...input }),
  get: (id: string) => api.get<CampaignDetail>(`/admin/campaigns/${enc(id)}`),
  update: (id: string, input: Partial<CampaignInput>) => api.patch<Campaign>(`/admin/campaigns/${enc(id)}`, input),
  activate: (id: string) => api.post<Campaign>(`/admin/campaigns/${enc(id)}/activate`),
  close: (id: string) => api.post<Campaign>(`/admin/campaigns/${enc(id)}/close`),
  addTask: (id: string, input: CentralTaskInput) => api.post<CentralTask>(`/admin/campaigns/${enc(id)}/central-tasks`, input),
  updateTask: (id: string, taskId: string, input: CentralTaskInput) =>
    put<CentralTask>(`/admin/campaigns/${enc(id)}/central-tasks/${enc(taskId)}`, input),
  setCriteria: (id: string, kind: CriteriaKind, field: string, items: Criterion[]) =>
    put<CriteriaSet>(`/admin/campaigns/${enc(id)}/criteria`, { kind, field, items }),
  addCarrier: (id: string, input: CarrierInput) => api.post<Carrier>(`/admin/campaigns/${enc(id)}/carriers`, input),
  retireCarrier: (id: string, carrierId: string) => api.post<Carrier>(`/admin/campaigns/${enc(id)}/carriers/${enc(carrierId)}/retire`),
  setTemplates: (id: string, field: string, kind: TemplateKind, items: { text: string; text_en: string }[]) =>
    put<{ items: FieldTemplate[] }>(`/admin/campaigns/${enc(id)}/templates`, { field, kind, items }),
  workspace: (id: string, unitCode: string) => api.get<Workspace>(`/admin/campaigns/${enc(id)}/units/${enc(unitCode)}`),
  coverage: (id: string, unitCode: string) => api.get<Coverage>(`/admin/campaigns/${enc(id)}/themes`, { unit: unitCode }),
  plans: (id: string, unitCode: string) => api.get<{ items: PlanListItem[] }>(`/admin/campaigns/${enc(id)}/plans`, { unit: unitCode }),
}

export const themesAdminApi = {
  create: (campaignId: string, unit_code: string, input: ThemeInput) =>
    api.post<Theme>(`/admin/campaigns/${enc(campaignId)}/themes`, { unit_code, ...input }),
  get: (id: string) => api.get<Theme>(`/admin/themes/${enc(id)}`),
  update: (id: string, input: ThemeInput) => put<Theme>(`/admin/themes/${enc(id)}`, input),
  submit: (id: string) => api.post<Theme>(`/admin/themes/${enc(id)}/submit`),
  approve: (id: string, comment: string) => api.post<Theme>(`/admin/themes/${enc(id)}/approve`, { comment }),
  return: (id: string, comment: string) => api.post<Theme>(`/admin/themes/${enc(id)}/return`, { comment }),
}

export const plansAdminApi = {
  create: (campaignId: string, unit_code: string, input: PlanInput) =>
    api.post<Plan>(`/admin/campaigns/${enc(campaignId)}/plans`, { unit_code, ...input }),
  get: (id: string) => api.get<Plan>(`/admin/plans/${enc(id)}`),
  update: (id: string, input: PlanInput) => put<Plan>(`/admin/plans/${enc(id)}`, input),
  open: (id: string, opens_at: string, closes_at: string) => api.post<Plan>(`/admin/plans/${enc(id)}/open`, { opens_at, closes_at }),
  adopt: (id: string) => api.post<Plan>(`/admin/plans/${enc(id)}/adopt`),
  answer: (id: string, commentId: string, answer: AnswerStatus, reason: string) =>
    api.post<Comment>(`/admin/plans/${enc(id)}/comments/${enc(commentId)}/answer`, { answer, reason }),
  hide: (id: string, commentId: string, reason: string) =>
    api.post<Comment>(`/admin/plans/${enc(id)}/comments/${enc(commentId)}/hide`, { reason }),
  /** Stores a file as a plan attachment of the unit (platform/uploads/README.md). */
  async upload(unitCode: string, file: File): Promise<Upload> {
    let response: Response
    try {
      response = await fetch(apiUrl('/uploads', { unit: unitCode, purpose: 'plan_attachment' }), {
        method: 'POST',
        headers: { ...requestHeaders('POST', file.type || 'application/octet-stream'), 'X-Filename': enc(file.name) },
        body: file,
        credentials: 'same-origin',
      })
    } catch {
      throw new ApiError(0, NETWORK_ERROR, i18n.global.t('common.networkError'))
    }
    const text = await response.text()
    if (!response.ok) throw errorFromResponse(response.status, text, response.headers.get('Retry-After'))
    return JSON.parse(text) as Upload
  },
}

export const attachmentUrl = (id: string) => apiUrl(`/uploads/${enc(id)}`)

export const campaignsPublicApi = {
  get: (id: string) => api.get<CampaignDetail>(`/campaigns/${enc(id)}`),
  theme: (unitCode: string) => api.get<Theme>(`/units/${enc(unitCode)}/theme`),
  planOf: (unitCode: string) => api.get<Plan>(`/units/${enc(unitCode)}/plan`),
  plan: (id: string) => api.get<Plan>(`/plans/${enc(id)}`),
  comment: (planId: string, body: string, author_name: string) => api.post<Comment>(`/plans/${enc(planId)}/comments`, { body, author_name }),
}
