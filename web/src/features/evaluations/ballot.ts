// Pure helpers of the ballot page, kept out of the component so they are tested.
import { ApiError } from '../../api/client'
import type { Ballot, BallotGrades } from './types'

/** An empty choice for every target × criterion: '' means not graded yet. */
export function emptyGrades(ballot: Ballot): BallotGrades {
  return Object.fromEntries(ballot.targets.map((t) => [t.id, ballot.round.criteria.map(() => '')]))
}

/** How many target × criterion choices are still missing (the server refuses a partial ballot). */
export function missingChoices(grades: BallotGrades): number {
  return Object.values(grades).reduce((n, row) => n + row.filter((g) => !g).length, 0)
}

/** Shows a typed code the way the slips print it: groups of six, upper case, without spaces. */
export function displayCode(typed: string): string {
  const symbols = typed.toUpperCase().replace(/[^0-9A-Z]/g, '')
  return symbols.match(/.{1,6}/g)?.join('-') ?? ''
}

/** Criterion or grade name in the UI language. */
export function localName(item: { name: string; name_en: string }, locale: string): string {
  return locale === 'en' && item.name_en ? item.name_en : item.name
}

/**
 * Unit names without what they all begin with ("中共清河县白马镇委员会",
 * "中共清河县城关镇委员会" → "白马镇委员会", "城关镇委员会"), so that a
 * chart's narrow axis labels tell the units apart. One name stays whole.
 */
export function withoutCommonPrefix(names: string[]): string[] {
  if (names.length < 2) return names
  let prefix = names[0]
  for (const name of names) {
    while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1)
  }
  // Never leave a name empty (one name may be the prefix of all the others).
  const cut = names.some((n) => n.length === prefix.length) ? 0 : prefix.length
  return names.map((n) => n.slice(cut))
}

/**
 * Sends a ballot again while the server answers 503 "busy" (its ballot queue
 * is full and nothing was stored), after the Retry-After it names, at most
 * `tries` times in all: at a county's busiest minute the voter should not
 * have to press again. Any other answer is final.
 */
export async function sendWhileBusy<T>(
  send: () => Promise<T>,
  tries = 3,
  wait: (seconds: number) => Promise<void> = (s) => new Promise((done) => setTimeout(done, s * 1000)),
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send()
    } catch (e) {
      const busy = e instanceof ApiError && e.status === 503 && e.retryAfterSeconds !== null
      if (!busy || attempt >= tries) throw e
      await wait(e.retryAfterSeconds ?? 1)
    }
  }
}
