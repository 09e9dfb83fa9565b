// What each state lets a page offer. The server decides (campaigns_rules.cpp)
// and answers a refusal with its reason; these only keep buttons away that
// could never succeed, so the page matches the rules.
import type { CampaignStatus, ChildCoverage, PlanStatus, ThemeStatus } from './types'

export type CampaignAction = 'edit' | 'activate' | 'close'
export type ThemeAction = 'edit' | 'submit' | 'approve' | 'return'
export type PlanAction = 'edit' | 'open' | 'answer' | 'adopt' | 'hide'

export function campaignActions(status: CampaignStatus): CampaignAction[] {
  switch (status) {
    case 'draft':
      return ['edit', 'activate']
    case 'active':
      return ['edit', 'close']
    case 'closed':
      return []
  }
}

/** A closed campaign is read-only; so is everything in it. */
export function campaignWritable(status: CampaignStatus): boolean {
  return status !== 'closed'
}

/** `reviewer`: the user may vet the theme (a grant above the unit, not on it). */
export function themeActions(status: ThemeStatus | null, campaign: CampaignStatus, reviewer: boolean): ThemeAction[] {
  if (campaign !== 'active') return []
  if (status === null || status === 'draft' || status === 'returned') return ['edit', 'submit']
  if (status === 'submitted' && reviewer) return ['approve', 'return']
  return []
}

export function planActions(status: PlanStatus, campaign: CampaignStatus): PlanAction[] {
  if (campaign !== 'active') return []
  switch (status) {
    case 'draft':
      return ['edit', 'open']
    case 'consultation':
      return ['answer', 'adopt', 'hide']
    case 'adopted':
      return ['hide']
  }
}

/** Bars for the coverage chart: per child unit, branches with and without an approved theme. */
export function coverageSeries(rows: ChildCoverage[]): { names: string[]; approved: number[]; missing: number[] } {
  return {
    names: rows.map((r) => r.unit.name),
    approved: rows.map((r) => r.approved),
    missing: rows.map((r) => r.without_approved_theme),
  }
}

/** `2026-12-01T08:00` (a datetime-local value, local time) → ISO 8601 with the browser's offset. */
export function localInputToIso(value: string, offsetMinutes = -new Date(value).getTimezoneOffset()): string {
  const sign = offsetMinutes >= 0 ? '+' : '-'
  const abs = Math.abs(offsetMinutes)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  const withSeconds = value.length === 16 ? `${value}:00` : value
  return `${withSeconds}${sign}${hh}:${mm}`
}

/** A server time (ISO 8601) shown as `YYYY-MM-DD HH:mm` in the viewer's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const two = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`
}

/** Campaign set-up and theme vetting belong to organisation admins (auth.cpp's role table). */
export function canManageCampaigns(grants: { role: string }[]): boolean {
  return grants.some((g) => g.role === 'system_admin' || g.role === 'org_admin')
}
