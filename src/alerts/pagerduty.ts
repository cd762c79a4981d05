/**
 * The alert as a PagerDuty Events v2 body (https://developer.pagerduty.com/api-reference/YXBpOjI3NDgyNjU-pager-duty-v2-events-api):
 * trigger or resolve, with the alert's dedup key, so PagerDuty folds repeats into one incident.
 * Any JSON receiver can take the same body. docs/alerts.md shows an example.
 */
import type { Alert } from './alert.js';

export interface PagerDutyEvent {
  routing_key: string;
  event_action: 'trigger' | 'resolve';
  dedup_key: string;
  payload?: {
    summary: string;
    source: string;
    severity: 'critical' | 'error' | 'warning' | 'info';
    timestamp: string;
    component: string;
    group: string;
    class: string;
    custom_details: Record<string, unknown>;
  };
}

/** PagerDuty caps the summary at 1024 characters. */
const SUMMARY_MAX = 1024;

export function pagerDutyEvent(alert: Alert, options: { routingKey: string; source: string; raisedAt: string }): PagerDutyEvent {
  const event: PagerDutyEvent = { routing_key: options.routingKey, event_action: alert.action, dedup_key: alert.dedupKey };
  // A resolve needs only the key; the payload is sent anyway for receivers that are not PagerDuty.
  event.payload = {
    summary: alert.summary.length > SUMMARY_MAX ? `${alert.summary.slice(0, SUMMARY_MAX - 1)}…` : alert.summary,
    source: options.source,
    severity: alert.severity,
    timestamp: options.raisedAt,
    component: alert.target ?? alert.migration,
    group: alert.migration,
    class: alert.kind,
    custom_details: { ...alert.details, migration: alert.migration, target: alert.target, owners: alert.owners },
  };
  return event;
}
