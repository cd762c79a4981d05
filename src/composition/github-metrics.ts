/**
 * The request budget's observer that records GitHub's answers and rate-limit waits in the process
 * metrics (`fleetwave_api_requests_total{service="github"}`, `fleetwave_rate_limit_wait*`; docs/metrics.md).
 * The GitHub adapter knows nothing of metrics; the entry points that talk to GitHub connect this.
 */
import type { BudgetObserver } from '../forge/github/request-budget.js';
import { recordApiRequest, recordRateLimitWait } from '../metrics/registry.js';

export const githubRequestMetrics: BudgetObserver = {
  onRequest: (status) => recordApiRequest('github', status),
  onRateLimitWait: (seconds) => recordRateLimitWait('github', seconds),
};
