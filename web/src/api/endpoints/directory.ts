import { request } from '../client';
import type {
  ApiTokenT,
  CreateApiTokenIn,
  CreatedApiTokenT,
  CreateRequesterIn,
  CreateTeamIn,
  CreateUserIn,
  ListT,
  PageT,
  PasswordResetT,
  ResetPasswordIn,
  TeamT,
  UpdateTeamIn,
  UpdateUserIn,
  UserT,
} from '../types';
import { toQuery } from './query';

// People and teams.

export const users = (params: Record<string, string | undefined>) => request<PageT<UserT>>('GET', `/users${toQuery(params)}`);
export const user = (id: string) => request<UserT>('GET', `/users/${id}`);
export const createUser = (body: CreateUserIn) => request<UserT>('POST', '/users', body);
export const updateUser = (id: string, body: UpdateUserIn) => request<UserT>('PATCH', `/users/${id}`, body);
export const resetPassword = (id: string, body: ResetPasswordIn) => request<PasswordResetT>('POST', `/users/${id}/password-reset`, body);
/** A caller the desk does not know yet, added while logging their ticket. */
export const createRequester = (body: CreateRequesterIn) => request<UserT>('POST', '/requesters', body);
export const teams = () => request<ListT<TeamT>>('GET', '/teams');
export const createTeam = (body: CreateTeamIn) => request<TeamT>('POST', '/teams', body);
export const updateTeam = (id: string, body: UpdateTeamIn) => request<TeamT>('PATCH', `/teams/${id}`, body);
export const tokens = () => request<ListT<ApiTokenT>>('GET', '/api-tokens');
export const createToken = (body: CreateApiTokenIn) => request<CreatedApiTokenT>('POST', '/api-tokens', body);
export const revokeToken = (id: string) => request<ApiTokenT>('DELETE', `/api-tokens/${id}`);
