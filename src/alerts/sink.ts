/**
 * Where alerts go, behind one small port: a comment in the tracking issue (the App), a JSON POST
 * (PagerDuty Events v2 or any receiver). The journal and the log always get every alert first
 * (src/alerts/outbox.ts); a sink that fails is logged and journalled, and never fails the migration.
 */
import type { Alert } from './alert.js';

export interface AlertSink {
  /** Names the sink in the journal (`alert-delivery` events), so each sink delivers an alert once. */
  readonly name: string;
  /** Deliver one alert; throws when it could not (after the sink's own retries). */
  deliver(alert: Alert, raisedAt: string): Promise<void>;
}
