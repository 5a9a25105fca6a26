import { request } from '../client';
import type {
  ChangePasswordIn,
  FeaturesT,
  ListT,
  MeT,
  PasswordChangedT,
  SavedViewT,
  SaveViewIn,
  SignedOutT,
  SignInIn,
  SignInOptionsT,
  UpdateMeIn,
} from '../types';

// The signed-in person: session, profile, password, saved views.

/** A 401 here is the answer ("nobody is signed in"), not an expired session. */
export const get = (options: { allowUnauthenticated?: boolean } = {}) => request<MeT>('GET', '/me', undefined, options);
export const signIn = (body: SignInIn) => request<MeT>('POST', '/auth/sign-in', body, { allowUnauthenticated: true });
/** Null when signing out here is all; a single sign-on session may name the provider's sign-out page to go on to. */
export const signOut = () => request<SignedOutT | null>('POST', '/auth/sign-out');
/** How this server signs people in: single sign-on, passwords, or both. */
export const signInOptions = () => request<SignInOptionsT>('GET', '/auth/options', undefined, { allowUnauthenticated: true });
export const update = (body: UpdateMeIn) => request<MeT>('PATCH', '/me', body);
export const changePassword = (body: ChangePasswordIn) => request<PasswordChangedT>('POST', '/me/password', body);
export const savedViews = () => request<ListT<SavedViewT>>('GET', '/me/saved-views');
export const saveView = (body: SaveViewIn) => request<SavedViewT>('POST', '/me/saved-views', body);
export const removeView = (id: string) => request<null>('DELETE', `/me/saved-views/${id}`);
export const features = () => request<FeaturesT>('GET', '/features');
