import type { DeliveryChannels } from '../src/services/notifications.service.js';

/** Delivery channels for tests that look at timelines, not at deliveries: nothing is sent. */
export const NO_DELIVERY: { mail: DeliveryChannels } = {
  mail: {
    mailer: null,
    webhooks: {
      post: async () => {
        throw new Error('webhooks are not delivered in this test');
      },
    },
    messageIdDomain: 'test.local',
    publicUrl: 'http://localhost',
  },
};
