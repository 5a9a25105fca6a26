import { z } from 'zod';

/** Status page subscriptions (issue 15 #3): the public subscribe call and the staff API. */

/** `all`: every public component, including ones shown later; otherwise the chosen components' ids (at least one). */
export const SubscriberComponents = z.union([z.literal('all'), z.array(z.guid('must be a component id')).max(500)]);

/**
 * The subscribe form (urlencoded) or the same as JSON. The address is checked by the service, so
 * the form's answer can be a page that says what is wrong in words.
 */
export const SubscribeBody = z.strictObject({
  email: z.string().max(2000),
  components: SubscriberComponents.default('all'),
});

export const SubscribeResult = z.object({
  /** confirmation_sent: check your mail; already_confirmed: nothing to confirm, the choice is updated. */
  state: z.enum(['confirmation_sent', 'confirmation_recently_sent', 'already_confirmed']),
  email: z.string(),
  message: z.string(),
});

export const StatusLinkQuery = z.object({ token: z.string().max(2000).default('') });

export const StatusWebhookSubscription = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  /** Empty: every public component. */
  componentIds: z.array(z.string()),
  createdAt: z.string(),
});
export const CreatedStatusWebhookSubscription = StatusWebhookSubscription.extend({ secret: z.string() });

export const CreateStatusWebhookSubscription = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(200),
  url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' }).max(2000),
  components: SubscriberComponents.default('all'),
  secret: z.string().min(16, 'must be at least 16 characters').max(200).optional(),
});

const Reach = z.object({ email: z.number().int(), webhook: z.number().int() });
export const SubscriberCounts = z.object({
  /** Confirmed subscribers of every component (they hear of each one). */
  allComponents: Reach,
  /** Per public component: who hears of news on it (its own subscribers plus those of every component). */
  components: z.array(z.object({ componentId: z.string(), name: z.string(), email: z.number().int(), webhook: z.number().int() })),
  /** E-mail subscriptions still waiting for their confirmation. */
  awaitingConfirmation: z.number().int(),
});
