// What the console offers for rounds. The server enforces the rule (role ×
// subtree); this only hides buttons a user could not use anyway.
import type { Grant } from '../../auth/types'

/** Defining, opening, closing, publishing and issuing codes is manage_evaluations: org_admin's (and the system admin's). */
export function canManageRounds(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'org_admin' || g.role === 'system_admin')
}
