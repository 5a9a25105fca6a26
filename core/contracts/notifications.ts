import { z } from 'zod';
import { TIMELINE_EVENT_TYPES } from '../vocabulary.js';

/** One line of a ticket's delivery log. */
export const Delivery = z.object({
  id: z.uuid(),
  channel: z.enum(['email', 'webhook', 'in_app']),
  userId: z.uuid().nullable(),
  /** The e-mail address; for a webhook its URL (admins) or its name (everyone else: a chat webhook's URL is its secret). */
  address: z.string(),
  webhookName: z.string().nullable(),
  reason: z.string(),
  subject: z.string(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  /** not_sent: kept unsent because e-mail out was off (lastError says so). */
  state: z.enum(['pending', 'sent', 'dead', 'not_sent']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
});

export const Webhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  format: z.enum(['json', 'slack']),
  eventTypes: z.array(z.string()),
  active: z.boolean(),
  createdAt: z.string(),
});

/** Right after creation: the only answer that carries the signing secret. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() });

export const CreateWebhook = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).max(2000),
  format: z.enum(['json', 'slack']).default('json'),
  /** Which timeline events to send; empty (the default) sends everything but work notes. */
  eventTypes: z.array(z.enum(TIMELINE_EVENT_TYPES)).default([]),
  secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
});
