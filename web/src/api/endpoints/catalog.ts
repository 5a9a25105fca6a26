import { request } from '../client';
import type {
  BusinessCalendarT,
  CategoryT,
  CreateBusinessCalendarIn,
  CreateCategoryIn,
  CreateServiceIn,
  CreateSlaPolicyIn,
  ListT,
  PriorityMatrixIn,
  PriorityMatrixT,
  ServiceT,
  SlaPolicyT,
  UpdateBusinessCalendarIn,
  UpdateCategoryIn,
  UpdateServiceIn,
  UpdateSlaPolicyIn,
} from '../types';

// What tickets are classified and measured by: services, categories, the priority matrix, SLAs.

export const services = () => request<ListT<ServiceT>>('GET', '/services');
export const createService = (body: CreateServiceIn) => request<ServiceT>('POST', '/services', body);
export const updateService = (id: string, body: UpdateServiceIn) => request<ServiceT>('PATCH', `/services/${id}`, body);
export const categories = () => request<ListT<CategoryT>>('GET', '/categories');
export const createCategory = (body: CreateCategoryIn) => request<CategoryT>('POST', '/categories', body);
export const updateCategory = (id: string, body: UpdateCategoryIn) => request<CategoryT>('PATCH', `/categories/${id}`, body);
export const priorityMatrix = () => request<PriorityMatrixT>('GET', '/priority-matrix');
export const setPriorityMatrix = (body: PriorityMatrixIn) => request<PriorityMatrixT>('PUT', '/priority-matrix', body);
export const calendars = () => request<ListT<BusinessCalendarT>>('GET', '/business-calendars');
export const createCalendar = (body: CreateBusinessCalendarIn) => request<BusinessCalendarT>('POST', '/business-calendars', body);
export const updateCalendar = (id: string, body: UpdateBusinessCalendarIn) =>
  request<BusinessCalendarT>('PATCH', `/business-calendars/${id}`, body);
export const slaPolicies = () => request<ListT<SlaPolicyT>>('GET', '/sla-policies');
export const createSlaPolicy = (body: CreateSlaPolicyIn) => request<SlaPolicyT>('POST', '/sla-policies', body);
export const updateSlaPolicy = (id: string, body: UpdateSlaPolicyIn) => request<SlaPolicyT>('PATCH', `/sla-policies/${id}`, body);
