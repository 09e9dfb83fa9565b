// What the page offers a user. The server enforces every rule; these only
// hide buttons a user could not use anyway.
import type { Grant, Role } from './types'

function hasRoleOver(grants: Grant[], roles: Role[], unitChain: string[]): boolean {
  return grants.some((g) => roles.includes(g.role) && unitChain.includes(g.unit_code))
}

function isSystemAdmin(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'system_admin')
}

/** `unitChain` is the codes from the root down to the unit itself. */
export function canManageUnits(grants: Grant[], unitChain: string[]): boolean {
  return isSystemAdmin(grants) || hasRoleOver(grants, ['org_admin'], unitChain)
}

/** Contact and address of the unit itself: a branch secretary may keep their own unit's up to date. */
export function canEditUnitContact(grants: Grant[], unitChain: string[]): boolean {
  return isSystemAdmin(grants) || hasRoleOver(grants, ['org_admin', 'secretary'], unitChain)
}

export function canManageMembers(grants: Grant[], unitChain: string[]): boolean {
  return isSystemAdmin(grants) || hasRoleOver(grants, ['org_admin', 'secretary'], unitChain)
}

export function canManageUsers(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'system_admin' || g.role === 'org_admin')
}

export function canReadAudit(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'system_admin' || g.role === 'org_admin' || g.role === 'auditor')
}

export function canImport(grants: Grant[]): boolean {
  return grants.some((g) => g.role === 'system_admin' || g.role === 'org_admin' || g.role === 'secretary')
}

/** The units a user works from: the scope roots of their grants, without repeats. */
export function scopeUnitCodes(grants: Grant[]): string[] {
  return [...new Set(grants.filter((g) => g.unit_code).map((g) => g.unit_code))]
}
