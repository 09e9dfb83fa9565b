// Pure helpers of the ballot page, kept out of the component so they are tested.
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
