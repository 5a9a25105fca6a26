import { request } from '../client';
import type { ChangePasswordIn, FeaturesT, ListT, MeT, PasswordChangedT, SavedViewT, SaveViewIn, SignInIn, UpdateMeIn } from '../types';

// The signed-in person: session, profile, password, saved views.

/** A 401 here is the answer ("nobody is signed in"), not an expired session. */
export const get = (options: { allowUnauthenticated?: boolean } = {}) => request<MeT>('GET', '/me', undefined, options);
export const signIn = (body: SignInIn) => request<MeT>('POST', '/auth/sign-in', body, { allowUnauthenticated: true });
export const signOut = () => request<null>('POST', '/auth/sign-out');
export const update = (body: UpdateMeIn) => request<MeT>('PATCH', '/me', body);
export const changePassword = (body: ChangePasswordIn) => request<PasswordChangedT>('POST', '/me/password', body);
export const savedViews = () => request<ListT<SavedViewT>>('GET', '/me/saved-views');
export const saveView = (body: SaveViewIn) => request<SavedViewT>('POST', '/me/saved-views', body);
export const removeView = (id: string) => request<null>('DELETE', `/me/saved-views/${id}`);
export const features = () => request<FeaturesT>('GET', '/features');
