import { request } from '../client';
import type {
  ApiTokenT,
  ChangePasswordIn,
  CreateApiTokenIn,
  CreatedApiTokenT,
  CreateRequesterIn,
  CreateTeamIn,
  CreateUserIn,
  FeaturesT,
  ListT,
  MeT,
  PageT,
  PasswordChangedT,
  PasswordResetT,
  ResetPasswordIn,
  SavedViewT,
  SaveViewIn,
  SignInIn,
  TeamT,
  UpdateMeIn,
  UpdateTeamIn,
  UpdateUserIn,
  UserT,
} from '../types';
import { toQuery } from './query';

/** The signed-in person: session, profile, password, saved views. */
export const meApi = {
  /** A 401 here is the answer ("nobody is signed in"), not an expired session. */
  get: (options: { allowUnauthenticated?: boolean } = {}) => request<MeT>('GET', '/me', undefined, options),
  signIn: (body: SignInIn) => request<MeT>('POST', '/auth/sign-in', body, { allowUnauthenticated: true }),
  signOut: () => request<null>('POST', '/auth/sign-out'),
  update: (body: UpdateMeIn) => request<MeT>('PATCH', '/me', body),
  changePassword: (body: ChangePasswordIn) => request<PasswordChangedT>('POST', '/me/password', body),
  savedViews: () => request<ListT<SavedViewT>>('GET', '/me/saved-views'),
  saveView: (body: SaveViewIn) => request<SavedViewT>('POST', '/me/saved-views', body),
  removeView: (id: string) => request<null>('DELETE', `/me/saved-views/${id}`),
  features: () => request<FeaturesT>('GET', '/features'),
};

/** People and teams. */
export const directoryApi = {
  users: (params: Record<string, string | undefined>) => request<PageT<UserT>>('GET', `/users${toQuery(params)}`),
  user: (id: string) => request<UserT>('GET', `/users/${id}`),
  createUser: (body: CreateUserIn) => request<UserT>('POST', '/users', body),
  updateUser: (id: string, body: UpdateUserIn) => request<UserT>('PATCH', `/users/${id}`, body),
  resetPassword: (id: string, body: ResetPasswordIn) => request<PasswordResetT>('POST', `/users/${id}/password-reset`, body),
  /** A caller the desk does not know yet, added while logging their ticket. */
  createRequester: (body: CreateRequesterIn) => request<UserT>('POST', '/requesters', body),
  teams: () => request<ListT<TeamT>>('GET', '/teams'),
  createTeam: (body: CreateTeamIn) => request<TeamT>('POST', '/teams', body),
  updateTeam: (id: string, body: UpdateTeamIn) => request<TeamT>('PATCH', `/teams/${id}`, body),
  tokens: () => request<ListT<ApiTokenT>>('GET', '/api-tokens'),
  createToken: (body: CreateApiTokenIn) => request<CreatedApiTokenT>('POST', '/api-tokens', body),
  revokeToken: (id: string) => request<ApiTokenT>('DELETE', `/api-tokens/${id}`),
};
