import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client'
import { i18n } from '../i18n'
import { errorText, fieldErrors } from './errors'

describe('error text', () => {
  it('shows the server message as it is', () => {
    expect(errorText(new ApiError(400, 'invalid_argument', '名称不能为空'))).toBe('名称不能为空')
  })

  it('says when to try again after a 429', () => {
    i18n.global.locale.value = 'zh-CN'
    expect(errorText(new ApiError(429, 'rate_limited', 'too many', [], 42))).toBe('尝试过于频繁,请 42 秒后再试')
    i18n.global.locale.value = 'en'
    expect(errorText(new ApiError(429, 'rate_limited', 'too many', [], 42))).toBe('Too many attempts. Try again in 42 s.')
  })

  it('falls back to a generic message for anything that is not an ApiError', () => {
    i18n.global.locale.value = 'en'
    expect(errorText(new TypeError('boom'))).toBe('The server sent an unexpected answer. Please try again later.')
  })

  it('maps form fields to their messages, leaving out import rows', () => {
    const error = new ApiError(400, 'invalid_argument', 'bad', [
      { field: 'name', message: 'Name is required' },
      { field: 'phone', message: 'Bad phone', row: 3 },
    ])
    expect(fieldErrors(error)).toEqual({ name: 'Name is required' })
    expect(fieldErrors(new Error('x'))).toEqual({})
  })
})
