import { describe, expect, it } from 'vitest'
import { columnLabel, csvField, csvLine, csvTemplate } from './csv-templates'

describe('csv templates', () => {
  it('the members template is the header row with a BOM and CRLF', () => {
    expect(csvTemplate('members')).toBe('\uFEFF姓名,单位编码,岗位,入党日期,状态,手机号,身份证号\r\n')
  })

  it('the units template starts with the code and name columns', () => {
    expect(csvTemplate('units').startsWith('\uFEFF编码,名称,类型,领域,上级编码')).toBe(true)
  })

  it('quotes fields that contain commas, quotes or line breaks', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvLine(['x', 'line\nbreak'])).toBe('x,"line\nbreak"')
  })
})

describe('column labels', () => {
  it('names a reported field by its column header', () => {
    expect(columnLabel('members', 'joined_on')).toBe('入党日期')
    expect(columnLabel('units', 'parent_code')).toBe('上级编码')
  })

  it('shows an unknown field as the server sent it', () => {
    expect(columnLabel('members', 'file')).toBe('file')
  })
})
