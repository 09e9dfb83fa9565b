// The columns of the import files, in one place: the downloadable templates,
// the page's explanation and the error report's column names all read them.
// Headers must match the server's importer (features/organizations/organizations_import.cpp);
// `field` is the key the server names in its error report.
import type { ImportKind } from './api'

export interface CsvColumn {
  field: string
  header: string
}

export const CSV_COLUMNS: Record<ImportKind, readonly CsvColumn[]> = {
  units: [
    { field: 'code', header: '编码' },
    { field: 'name', header: '名称' },
    { field: 'kind', header: '类型' },
    { field: 'field', header: '领域' },
    { field: 'parent_code', header: '上级编码' },
    { field: 'contact_name', header: '联系人' },
    { field: 'contact_phone', header: '联系电话' },
    { field: 'address', header: '地址' },
  ],
  members: [
    { field: 'name', header: '姓名' },
    { field: 'unit_code', header: '单位编码' },
    { field: 'post', header: '岗位' },
    { field: 'joined_on', header: '入党日期' },
    { field: 'status', header: '状态' },
    { field: 'phone', header: '手机号' },
    { field: 'id_number', header: '身份证号' },
  ],
}

export function csvHeaders(kind: ImportKind): string[] {
  return CSV_COLUMNS[kind].map((column) => column.header)
}

/** The column a reported field sits in, as the user sees it in the file; unknown fields are shown as sent. */
export function columnLabel(kind: ImportKind, field: string): string {
  return CSV_COLUMNS[kind].find((column) => column.field === field)?.header ?? field
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
  return `\uFEFF${csvLine(csvHeaders(kind))}\r\n`
}
