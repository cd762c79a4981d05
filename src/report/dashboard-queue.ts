/**
 * The dashboard's queue page (`/queue`): the workers (live, or stale when their last heartbeat is
 * older than WORKER_STALE_MS), the queue's depth, what runs, job latency, failures and the dead
 * jobs. Pure: it takes what the queue answered and the time.
 */
import { type DeadJob, JOB_KINDS, type QueueStats, type WorkerRecord } from '../queue/port.js';
import { escapeHtml as h } from './dashboard-escape.js';
import { layout, type PageOptions } from './dashboard-html.js';

/** A worker not seen for this long is shown as stale: three missed heartbeats of 5 s. */
export const WORKER_STALE_MS = 15_000;

export interface QueuePage {
  stats: QueueStats;
  workers: (WorkerRecord & { state: 'live' | 'stale'; secondsSinceSeen: number })[];
  dead: DeadJob[];
}

export function queuePage(input: { stats: QueueStats; workers: WorkerRecord[]; dead: DeadJob[]; now: Date }): QueuePage {
  return {
    stats: input.stats,
    workers: input.workers.map((w) => {
      const since = input.now.getTime() - Date.parse(w.lastSeen);
      return { ...w, state: since > WORKER_STALE_MS ? 'stale' : 'live', secondsSinceSeen: Math.max(0, Math.round(since / 1000)) };
    }),
    dead: input.dead,
  };
}

/** The migration a job is for: a reconcile's key, a delivery's payload. */
function migrationOf(job: DeadJob): string {
  return 'migration' in job.payload && typeof job.payload.migration === 'string' && job.kind.startsWith('deliver-')
    ? job.payload.migration
    : job.key;
}

const ms = (v: number | null) => (v === null ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`);

export function renderQueueHtml(page: QueuePage, o: PageOptions): string {
  const s = page.stats;
  const card = (n: string | number, label: string) => `<div class="card"><b>${h(String(n))}</b><span>${h(label)}</span></div>`;
  const cards = `<div class="cards">${[
    card(s.waiting, 'jobs waiting'),
    card(s.running, 'running'),
    card(s.dead, 'dead'),
    card(s.completedLastHour, 'completed, last hour'),
    card(s.failedLastHour, 'failed attempts, last hour'),
    card(ms(s.latencyMsP50), 'wait to start, median (last hour)'),
    card(ms(s.latencyMsMax), 'wait to start, longest'),
  ].join('')}</div>`;
  const workers = page.workers.length
    ? `<table><thead><tr><th>Worker</th><th>State</th><th class="num">Concurrency</th><th>Running</th><th>Last seen</th></tr></thead><tbody>${page.workers
        .map(
          (w) =>
            `<tr><td><code>${h(w.id)}</code><div class="note">pid ${w.pid} on ${h(w.host)}, since ${h(w.startedAt)}</div></td><td><span class="badge s-${w.state === 'live' ? 'running' : 'failed'}">${w.state}</span></td><td class="num">${w.concurrency}</td><td>${
              w.running.length
                ? w.running.map((r) => `${h(r.kind)} <code>${h(r.key)}</code>`).join('<br>')
                : '<span class="note">idle</span>'
            }</td><td>${h(w.lastSeen)}<div class="note">${w.secondsSinceSeen} s ago</div></td></tr>`,
        )
        .join('\n')}</tbody></table>`
    : '<p>No worker has reported itself: start <code>fleetwave worker --state postgres://…</code>.</p>';
  const kinds = JOB_KINDS.filter((k) => s.byKind[k]);
  const byKind = kinds.length
    ? `<table><thead><tr><th>Kind</th><th class="num">Waiting</th><th class="num">Running</th><th class="num">Dead</th><th class="num">Failed attempts, last hour</th></tr></thead><tbody>${kinds
        .map((k) => {
          const c = s.byKind[k]!;
          return `<tr><td>${h(k)}</td><td class="num">${c.waiting}</td><td class="num">${c.running}</td><td class="num">${c.dead}</td><td class="num">${c.failedLastHour}</td></tr>`;
        })
        .join('\n')}</tbody></table>`
    : '<p>No jobs.</p>';
  const dead = page.dead.length
    ? `<table><thead><tr><th>Job</th><th>Kind</th><th>Migration</th><th class="num">Attempts</th><th>Last error</th><th>Dead since</th></tr></thead><tbody>${page.dead
        .map(
          (d) =>
            `<tr><td><code>${h(d.id)}</code><div class="note">${h(d.reason)}</div></td><td>${h(d.kind)}</td><td>${h(migrationOf(d))}${migrationOf(d) === d.key ? '' : `<div class="note">${h(d.key)}</div>`}</td><td class="num">${d.attempts}</td><td>${h(d.error)}</td><td class="at">${h(d.diedAt)}</td></tr>`,
        )
        .join('\n')}</tbody></table>`
    : '<p>None.</p>';
  return layout(
    'Job queue',
    `<h1>Job queue and workers</h1>${cards}<h2>By kind</h2>${byKind}<h2>Workers</h2>${workers}<h2>Dead jobs</h2>${dead}`,
    o,
  );
}
