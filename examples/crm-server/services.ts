/**
 * What route handlers share: the database, the clock, the webhook emitter and the
 * server's resolved options.
 */
import type { SqlDatabase } from './storage/database';

/** Events webhooks can subscribe to (docs/openapi.yaml `WebhookEventType`). */
export type WebhookEventType =
  | `${'contact' | 'company' | 'deal' | 'activity' | 'ticket'}.${'created' | 'updated' | 'archived'}`
  | 'contact.merged'
  | 'consent_record.created'
  | 'data_subject_request.completed';

export interface CrmServices {
  readonly db: SqlDatabase;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  /** Queues a webhook event for delivery to subscribers. */
  readonly emit: (type: WebhookEventType, data: unknown) => void;
  /** Whether the public loyalty badge endpoint answers. */
  readonly publicLoyalty: boolean;
}
