import { api, apiRequest, apiUrl, errorFromResponse, requestHeaders } from '../../api/client'
import type { AdminRound, Ballot, BallotGrades, CodesInput, FinalGradeInput, FollowUp, IssuedCodes, NewRoundInput, Receipt, ReceiptCheck, RoundInput, RoundResults, UnitResults, UnitRound } from './types'

const enc = encodeURIComponent

export type LifecycleStep = 'open' | 'close' | 'publish'

export const evaluationsPublicApi = {
  ballot: (code: string) => api.get<Ballot>(`/ballots/${enc(code)}`),
  /** No CSRF token: the code is the credential. */
  cast: (code: string, grades: BallotGrades) => api.post<Receipt>('/ballots', { code, grades }),
  results: (roundId: string) => api.get<RoundResults>(`/evaluations/${enc(roundId)}`),
  receipt: (roundId: string, receipt: string) => api.get<ReceiptCheck>(`/evaluations/${enc(roundId)}/receipts/${enc(receipt)}`),
}

const admin = (id: string, action = '') => `/admin/evaluation-rounds/${enc(id)}${action ? `/${action}` : ''}`

export const evaluationsAdminApi = {
  list: () => api.get<{ items: AdminRound[] }>('/admin/evaluation-rounds'),
  get: (id: string) => api.get<AdminRound>(admin(id)),
  create: (input: NewRoundInput) => api.post<AdminRound>('/admin/evaluation-rounds', input),
  /** A draft only: once open the configuration is frozen (409 with the reason). */
  update: (id: string, input: RoundInput) => apiRequest<AdminRound>('PUT', admin(id), { body: input }),
  /** draft → open → closed → published. */
  advance: (id: string, step: LifecycleStep) => api.post<AdminRound>(admin(id, step)),
  /** `unit`: the subtree asked about; empty means the round's owner. */
  results: (id: string, unit: string) => api.get<RoundResults>(admin(id, 'results'), { unit }),
  issue: (id: string, input: CodesInput) => api.post<IssuedCodes>(admin(id, 'codes'), { ...input, format: 'json' }),
  /** The batch as a file: CSV (code,url for SMS) or the A4 HTML sheet of slips; the codes exist only in this answer. */
  issueFile: async (id: string, input: CodesInput, format: 'csv' | 'html'): Promise<Blob> => {
    const response = await fetch(apiUrl(admin(id, 'codes')), {
      method: 'POST',
      headers: requestHeaders('POST', 'application/json'),
      body: JSON.stringify({ ...input, format }),
      credentials: 'same-origin',
    })
    if (!response.ok) throw errorFromResponse(response.status, await response.text(), response.headers.get('Retry-After'))
    return response.blob()
  },
}

const branch = (id: string, code: string) => `${admin(id)}/units/${enc(code)}`

/** The branch's final grades (看票不唯票) and follow-ups, after a member round closes. */
export const evaluationsBranchApi = {
  unit: (id: string, code: string) => api.get<UnitResults>(branch(id, code)),
  setFinalGrades: (id: string, code: string, grades: FinalGradeInput[]) =>
    apiRequest<UnitResults>('PUT', `${branch(id, code)}/final-grades`, { body: { grades } }),
  updateFollowUp: (id: string, memberId: string, followUp: Omit<FollowUp, 'updated_at'>) =>
    apiRequest<UnitResults>('PUT', admin(id, `follow-ups/${enc(memberId)}`), { body: followUp }),
}

/** A member's own ballot in a member round (党员互评): the session is the credential, one ballot per member. */
export const evaluationsMemberApi = {
  /** The open member rounds this account's member may vote in. */
  rounds: () => api.get<{ items: UnitRound[] }>('/evaluations/member-rounds'),
  ballot: (id: string) => api.get<Ballot>(`/evaluations/${enc(id)}/member-ballot`),
  cast: (id: string, grades: BallotGrades) => api.post<Receipt>(`/evaluations/${enc(id)}/member-ballot`, { grades }),
}

/** Rounds a unit owns or takes part in, for its public page (drafts never). */
export const unitRoundsApi = {
  list: (code: string) => api.get<{ items: UnitRound[] }>(`/units/${enc(code)}/evaluation-rounds`),
}
