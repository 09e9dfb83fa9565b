import { api } from '../../api/client'
import type { AdminUser, Role, SessionResponse } from './types'

export const sessionApi = {
  login: (username: string, password: string) => api.post<SessionResponse>('/session', { username, password }),
  current: () => api.get<SessionResponse>('/session'),
  logout: () => api.delete<void>('/session'),
}

export const meApi = {
  update: (changes: { lang?: string; display_name?: string }) => api.patch<unknown>('/me', changes),
  changePassword: (current_password: string, new_password: string) =>
    api.post<void>('/me/password', { current_password, new_password }),
}

export interface UserPage {
  users: AdminUser[]
  total: number
}

export const usersApi = {
  list: (q: string, page: number, page_size: number) => api.get<UserPage>('/admin/users', { q, page, page_size }),
  create: (body: { username: string; display_name: string; password: string }) => api.post<AdminUser>('/admin/users', body),
  setPassword: (id: string, password: string) => api.post<void>(`/admin/users/${encodeURIComponent(id)}/password`, { password }),
  disable: (id: string) => api.post<void>(`/admin/users/${encodeURIComponent(id)}/disable`),
  enable: (id: string) => api.post<void>(`/admin/users/${encodeURIComponent(id)}/enable`),
  grant: (id: string, role: Role, unit_code: string) =>
    api.post<unknown>(`/admin/users/${encodeURIComponent(id)}/grants`, { role, unit_code }),
  revoke: (id: string, grantId: string) =>
    api.delete<void>(`/admin/users/${encodeURIComponent(id)}/grants/${encodeURIComponent(grantId)}`),
}
