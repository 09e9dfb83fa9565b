// The header rows of the import files, in one place so the downloadable
// templates and the page's explanation can never disagree with each other.
// They must match the server's importer (features/organizations/README.md).
import type { ImportKind } from './api'

export const CSV_TEMPLATE_HEADERS: Record<ImportKind, readonly string[]> = {
  units: ['编码', '名称', '类型', '领域', '上级编码', '联系人', '联系电话', '地址'],
  members: ['姓名', '单位编码', '岗位', '入党日期', '状态', '手机号', '身份证号'],
}

/** One CSV field, quoted only when it has to be (RFC 4180). */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

export function csvLine(values: readonly string[]): string {
  return values.map(csvField).join(',')
}

/**
 * The template file's text: the header row and a CRLF, led by a UTF-8 byte
 * order mark so that Excel on Windows opens the Chinese headers correctly.
 */
export function csvTemplate(kind: ImportKind): string {
  return `\uFEFF${csvLine(CSV_TEMPLATE_HEADERS[kind])}\r\n`
}
