import { request } from '../client';
import type { CreateMaintenanceIn, EditMaintenanceIn, ListT, MaintenanceT } from '../types';

// Planned maintenance on the public status page (issue 15 #7).

export const list = () => request<ListT<MaintenanceT>>('GET', '/maintenance');
export const create = (body: CreateMaintenanceIn) => request<MaintenanceT>('POST', '/maintenance', body);
export const cancel = (id: string) => request<MaintenanceT>('POST', `/maintenance/${id}/cancel`);
export const edit = (p: { id: string; body: EditMaintenanceIn }) => request<MaintenanceT>('PATCH', `/maintenance/${p.id}`, p.body);
