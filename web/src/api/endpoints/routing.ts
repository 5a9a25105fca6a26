import { request } from '../client';
import type { RoutingModelStatusT, RoutingSettingsT, RoutingSuggestionsT } from '../types';

// The learned router (issue 18, item 5): its state and figures (admins), training, suggestions (staff).

export const model = () => request<RoutingModelStatusT>('GET', '/routing/model');
export const train = () => request<{ queued: true; training: boolean }>('POST', '/routing/model/train');
export const suggest = (body: { title: string; description: string; serviceId?: string }) =>
  request<RoutingSuggestionsT>('POST', '/routing/suggestions', body);
export const settings = () => request<RoutingSettingsT>('GET', '/routing/settings');
export const saveSettings = (body: RoutingSettingsT) => request<RoutingSettingsT>('PUT', '/routing/settings', body);
