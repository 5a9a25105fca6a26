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

/** What tickets are classified and measured by: services, categories, the priority matrix, SLAs. */
export const catalogApi = {
  services: () => request<ListT<ServiceT>>('GET', '/services'),
  createService: (body: CreateServiceIn) => request<ServiceT>('POST', '/services', body),
  updateService: (id: string, body: UpdateServiceIn) => request<ServiceT>('PATCH', `/services/${id}`, body),
  categories: () => request<ListT<CategoryT>>('GET', '/categories'),
  createCategory: (body: CreateCategoryIn) => request<CategoryT>('POST', '/categories', body),
  updateCategory: (id: string, body: UpdateCategoryIn) => request<CategoryT>('PATCH', `/categories/${id}`, body),
  priorityMatrix: () => request<PriorityMatrixT>('GET', '/priority-matrix'),
  setPriorityMatrix: (body: PriorityMatrixIn) => request<PriorityMatrixT>('PUT', '/priority-matrix', body),
  calendars: () => request<ListT<BusinessCalendarT>>('GET', '/business-calendars'),
  createCalendar: (body: CreateBusinessCalendarIn) => request<BusinessCalendarT>('POST', '/business-calendars', body),
  updateCalendar: (id: string, body: UpdateBusinessCalendarIn) => request<BusinessCalendarT>('PATCH', `/business-calendars/${id}`, body),
  slaPolicies: () => request<ListT<SlaPolicyT>>('GET', '/sla-policies'),
  createSlaPolicy: (body: CreateSlaPolicyIn) => request<SlaPolicyT>('POST', '/sla-policies', body),
  updateSlaPolicy: (id: string, body: UpdateSlaPolicyIn) => request<SlaPolicyT>('PATCH', `/sla-policies/${id}`, body),
};
