import { describe, expect, it } from 'vitest'
import { canEditUnitContact, canManageMembers, canManageUnits, canManageUsers, canReadAudit, scopeUnitCodes } from './permissions'
import type { Grant } from './types'

const grant = (role: Grant['role'], unit_code: string): Grant => ({ grant_id: `${role}-${unit_code}`, role, unit_code, unit_name: unit_code })
const chainOfBranch = ['county', 'town-a', 'branch-1']

describe('permissions', () => {
  it('a system admin manages everything', () => {
    const grants = [grant('system_admin', '')]
    expect(canManageUnits(grants, chainOfBranch)).toBe(true)
    expect(canManageMembers(grants, chainOfBranch)).toBe(true)
    expect(canManageUsers(grants)).toBe(true)
  })

  it('an org admin manages units only inside the granted subtree', () => {
    const grants = [grant('org_admin', 'town-a')]
    expect(canManageUnits(grants, chainOfBranch)).toBe(true)
    expect(canManageUnits(grants, ['county', 'town-b', 'branch-9'])).toBe(false)
    expect(canManageUnits(grants, ['county'])).toBe(false)
  })

  it('a secretary manages members of their branch but not units', () => {
    const grants = [grant('secretary', 'branch-1')]
    expect(canManageMembers(grants, chainOfBranch)).toBe(true)
    expect(canManageMembers(grants, ['county', 'town-a', 'branch-2'])).toBe(false)
    expect(canManageUnits(grants, chainOfBranch)).toBe(false)
    expect(canEditUnitContact(grants, chainOfBranch)).toBe(true)
    expect(canEditUnitContact(grants, ['county', 'town-a'])).toBe(false)
    expect(canManageUsers(grants)).toBe(false)
    expect(canReadAudit(grants)).toBe(false)
  })

  it('an auditor reads the audit log and changes nothing', () => {
    const grants = [grant('auditor', 'county')]
    expect(canReadAudit(grants)).toBe(true)
    expect(canManageMembers(grants, chainOfBranch)).toBe(false)
    expect(canEditUnitContact(grants, chainOfBranch)).toBe(false)
  })

  it('scope codes are the granted units without repeats', () => {
    expect(scopeUnitCodes([grant('secretary', 'b1'), grant('auditor', 'b1'), grant('org_admin', 't1')])).toEqual(['b1', 't1'])
  })
})
