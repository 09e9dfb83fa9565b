import { api } from '../../api/client'
import type { Ballot, BallotGrades, Receipt, ReceiptCheck, RoundResults } from './types'

const enc = encodeURIComponent

export const evaluationsPublicApi = {
  ballot: (code: string) => api.get<Ballot>(`/ballots/${enc(code)}`),
  /** No CSRF token: the code is the credential. */
  cast: (code: string, grades: BallotGrades) => api.post<Receipt>('/ballots', { code, grades }),
  results: (roundId: string) => api.get<RoundResults>(`/evaluations/${enc(roundId)}`),
  receipt: (roundId: string, receipt: string) => api.get<ReceiptCheck>(`/evaluations/${enc(roundId)}/receipts/${enc(receipt)}`),
}
