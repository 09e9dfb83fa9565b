import type { Field } from './types'

/** A field's name in the chosen language (fields are data: both names come from the server). */
export function fieldName(field: Field | undefined, language: string): string {
  if (!field) return ''
  return language === 'en' ? field.name_en : field.name_zh
}
