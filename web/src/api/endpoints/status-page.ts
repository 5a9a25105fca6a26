import type { z } from 'zod';
import type { StatusPageLogo, StatusPageLogoState, StatusPageSettingsBody } from '../../../../core/contracts/status-page';
import { request } from '../client';

// The public status page's settings (issue 15): the organisation's name and logo.

export type StatusPageSettingsT = z.infer<typeof StatusPageSettingsBody>;
export type StatusPageLogoT = z.infer<typeof StatusPageLogo>;

export const settings = () => request<StatusPageSettingsT>('GET', '/status-page/settings');
export const saveSettings = (body: StatusPageSettingsT) => request<StatusPageSettingsT>('PUT', '/status-page/settings', body);
export const logo = () => request<z.infer<typeof StatusPageLogoState>>('GET', '/status-page/logo');
export const saveLogo = (image: string) => request<StatusPageLogoT>('PUT', '/status-page/logo', { image });
export const removeLogo = () => request<void>('DELETE', '/status-page/logo');
