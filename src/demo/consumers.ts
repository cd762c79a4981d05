import type { ConfigKind, ConsumerSpec } from './consumer-files.js';

/**
 * The demo fleet's consumers of play events: small services, each computing one real thing from the
 * rows, with a test that checks it against the rows themselves (an independent, naive computation)
 * plus sanity checks. They read different fields. Exactly one, acme/listener-stats, reads `user_id`,
 * so when its configuration points at v2 (where the field is `userId`) its test really fails.
 * acme/legacy-audit reads `legacy_flag` (still present in v2).
 */

function consumer(
  repo: string,
  feature: string,
  config: ConfigKind,
  reads: string[],
  description: string,
  fn: string,
  source: string,
  testBody: string,
): ConsumerSpec {
  const test = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadEvents } from './events.js';
import { ${fn} } from './${feature}.js';

${testBody.trim()}
`;
  return { repo, feature, config, reads, description, source: `import type { PlayEvent } from './events.js';\n\n${source.trim()}\n`, test };
}

export const DEMO_CONSUMERS: readonly ConsumerSpec[] = [
  consumer(
    'acme/recs-sandbox',
    'plays-per-track',
    'ts',
    ['track_id'],
    'Sandbox of the recommendations team: play counts per track (the low-risk canary).',
    'playsPerTrack',
    `
/** How many times each track was played. */
export function playsPerTrack(rows: PlayEvent[]): Map<string, number> {
  const plays = new Map<string, number>();
  for (const r of rows) plays.set(r.track_id, (plays.get(r.track_id) ?? 0) + 1);
  return plays;
}`,
    `
test('plays per track match the rows and add up to every play', async () => {
  const rows = await loadEvents();
  assert.ok(rows.length > 0, 'the dataset has rows');
  const plays = playsPerTrack(rows);
  for (const [track, count] of plays) {
    assert.match(track, /^trk-\\d{3}$/);
    assert.equal(count, rows.filter((r) => r.track_id === track).length, track);
  }
  assert.equal([...plays.values()].reduce((a, b) => a + b, 0), rows.length);
});`,
  ),
  consumer(
    'acme/charts',
    'top-tracks',
    'ts',
    ['track_id', 'ms_played'],
    'Weekly charts: the tracks listened to longest.',
    'topTracks',
    `
export interface ChartEntry {
  track: string;
  ms: number;
}

/** The \`n\` tracks with the most listening time, longest first (ties by track id). */
export function topTracks(rows: PlayEvent[], n: number): ChartEntry[] {
  const ms = new Map<string, number>();
  for (const r of rows) ms.set(r.track_id, (ms.get(r.track_id) ?? 0) + r.ms_played);
  return [...ms]
    .map(([track, total]) => ({ track, ms: total }))
    .sort((a, b) => b.ms - a.ms || a.track.localeCompare(b.track))
    .slice(0, n);
}`,
    `
test('the chart is the longest-listened tracks, in order', async () => {
  const rows = await loadEvents();
  const chart = topTracks(rows, 10);
  assert.equal(chart.length, 10);
  const totalOf = (track: string) => rows.filter((r) => r.track_id === track).reduce((s, r) => s + r.ms_played, 0);
  for (const entry of chart) assert.equal(entry.ms, totalOf(entry.track), entry.track);
  for (let i = 1; i < chart.length; i++) assert.ok(chart[i - 1]!.ms >= chart[i]!.ms, 'sorted longest first');
  const best = Math.max(...[...new Set(rows.map((r) => r.track_id))].map(totalOf));
  assert.equal(chart[0]!.ms, best);
  assert.ok(chart.every((e) => e.ms > 0));
});`,
  ),
  consumer(
    'acme/royalties',
    'payouts',
    'yaml',
    ['track_id', 'ms_played'],
    'Royalty payouts per track, in cents, by minutes played.',
    'payoutsByTrack',
    `
/** Cents owed per track at \`centsPerMinute\`, rounded per track. */
export function payoutsByTrack(rows: PlayEvent[], centsPerMinute: number): Record<string, number> {
  const minutes: Record<string, number> = {};
  for (const r of rows) minutes[r.track_id] = (minutes[r.track_id] ?? 0) + r.ms_played / 60_000;
  const out: Record<string, number> = {};
  for (const [track, m] of Object.entries(minutes)) out[track] = Math.round(m * centsPerMinute);
  return out;
}`,
    `
test('payouts follow the minutes each track was played', async () => {
  const rows = await loadEvents();
  const payouts = payoutsByTrack(rows, 0.4);
  const tracks = new Set(rows.map((r) => r.track_id));
  assert.deepEqual(Object.keys(payouts).sort(), [...tracks].sort());
  for (const track of tracks) {
    const ms = rows.filter((r) => r.track_id === track).reduce((s, r) => s + r.ms_played, 0);
    assert.equal(payouts[track], Math.round((ms / 60_000) * 0.4), track);
  }
  assert.ok(Object.values(payouts).reduce((a, b) => a + b, 0) > 0, 'someone gets paid');
});`,
  ),
  consumer(
    'acme/geo-insights',
    'ms-by-country',
    'ts',
    ['country', 'ms_played'],
    'Listening time per country (unknown when the country is missing).',
    'msByCountry',
    `
/** Total ms played per country code; events without a country count as "unknown". */
export function msByCountry(rows: PlayEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const key = r.country ?? 'unknown';
    out.set(key, (out.get(key) ?? 0) + r.ms_played);
  }
  return out;
}`,
    `
test('listening time per country adds up to the whole', async () => {
  const rows = await loadEvents();
  const byCountry = msByCountry(rows);
  const total = rows.reduce((s, r) => s + r.ms_played, 0);
  assert.ok(total > 0);
  assert.equal([...byCountry.values()].reduce((a, b) => a + b, 0), total);
  for (const [country, ms] of byCountry) {
    if (country === 'unknown') assert.equal(ms, rows.filter((r) => r.country === null).reduce((s, r) => s + r.ms_played, 0));
    else {
      assert.match(country, /^[A-Z]{2}$/);
      assert.equal(ms, rows.filter((r) => r.country === country).reduce((s, r) => s + r.ms_played, 0), country);
    }
  }
});`,
  ),
  consumer(
    'acme/listener-stats',
    'listeners',
    'ts',
    ['user_id'],
    'Audience figures: distinct listeners and plays per listener.',
    'listenerStats',
    `
export interface ListenerStats {
  listeners: number;
  playsPerListener: number;
  /** The listener with the most plays (ties: the smallest id). */
  topListener: string;
}

export function listenerStats(rows: PlayEvent[]): ListenerStats {
  const plays = new Map<string, number>();
  for (const r of rows) plays.set(r.user_id, (plays.get(r.user_id) ?? 0) + 1);
  const [topListener] = [...plays].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [''];
  return { listeners: plays.size, playsPerListener: rows.length / Math.max(plays.size, 1), topListener };
}`,
    `
test('every play has a listener, and the audience figures match the rows', async () => {
  const rows = await loadEvents();
  assert.ok(rows.length > 0);
  for (const r of rows) assert.match(String(r.user_id), /^u-\\d{4}$/, \`event \${r.event_id} has a user id\`);
  const stats = listenerStats(rows);
  const ids = rows.map((r) => r.user_id).filter((id, i, all) => all.indexOf(id) === i);
  assert.equal(stats.listeners, ids.length);
  assert.ok(stats.listeners > 1, 'more than one listener');
  assert.equal(stats.playsPerListener, rows.length / ids.length);
  const count = (id: string) => rows.filter((r) => r.user_id === id).length;
  assert.equal(count(stats.topListener), Math.max(...ids.map(count)));
});`,
  ),
  consumer(
    'acme/legacy-audit',
    'legacy-share',
    'json',
    ['legacy_flag'],
    'Audit of plays still coming through the legacy client (legacy_flag).',
    'legacyShare',
    `
/** The share of plays (0 to 1) marked by the legacy client. */
export function legacyShare(rows: PlayEvent[]): number {
  if (rows.length === 0) return 0;
  let legacy = 0;
  for (const r of rows) if (r.legacy_flag) legacy++;
  return legacy / rows.length;
}`,
    `
test('the legacy share matches the flagged plays', async () => {
  const rows = await loadEvents();
  assert.ok(rows.length > 0);
  for (const r of rows) assert.equal(typeof r.legacy_flag, 'boolean', \`event \${r.event_id} has legacy_flag\`);
  const share = legacyShare(rows);
  assert.equal(share, rows.filter((r) => r.legacy_flag === true).length / rows.length);
  assert.ok(share > 0 && share < 1, 'some plays, not all, are legacy');
});`,
  ),
  consumer(
    'acme/session-metrics',
    'average-listen',
    'ts',
    ['ms_played'],
    'Session metrics: the average time a play lasts.',
    'averageListenMs',
    `
/** Mean ms played per event (0 for no events). */
export function averageListenMs(rows: PlayEvent[]): number {
  return rows.length === 0 ? 0 : rows.reduce((sum, r) => sum + r.ms_played, 0) / rows.length;
}`,
    `
test('the average listen lies between the shortest and the longest play', async () => {
  const rows = await loadEvents();
  const avg = averageListenMs(rows);
  const ms = rows.map((r) => r.ms_played);
  let sum = 0;
  for (const m of ms) sum += m;
  assert.ok(avg > 0);
  assert.ok(Math.abs(avg - sum / ms.length) < 1e-9);
  assert.ok(avg >= Math.min(...ms) && avg <= Math.max(...ms));
});`,
  ),
  consumer(
    'acme/hourly-dashboard',
    'plays-by-hour',
    'ts',
    ['ts'],
    'Dashboard of plays per hour of the day (UTC).',
    'playsByHour',
    `
/** Plays per UTC hour of the day: 24 counts. */
export function playsByHour(rows: PlayEvent[]): number[] {
  const hours = new Array<number>(24).fill(0);
  for (const r of rows) hours[new Date(Number(r.ts)).getUTCHours()]!++;
  return hours;
}`,
    `
test('plays per hour count every play once', async () => {
  const rows = await loadEvents();
  const hours = playsByHour(rows);
  assert.equal(hours.length, 24);
  assert.equal(hours.reduce((a, b) => a + b, 0), rows.length);
  for (let h = 0; h < 24; h++) {
    const expected = rows.filter((r) => Math.floor((Number(r.ts) % 86_400_000) / 3_600_000) === h).length;
    assert.equal(hours[h], expected, \`hour \${h}\`);
  }
  assert.ok(hours.filter((n) => n > 0).length > 12, 'plays spread over the day');
});`,
  ),
  consumer(
    'acme/skip-detector',
    'skip-rate',
    'sql',
    ['ms_played', 'track_id'],
    'Skip detection: plays shorter than 30 seconds, overall and per track.',
    'skipRate, mostlySkipped',
    `
export const SKIP_MS = 30_000;

/** Share of plays shorter than SKIP_MS. */
export function skipRate(rows: PlayEvent[]): number {
  return rows.length === 0 ? 0 : rows.filter((r) => r.ms_played < SKIP_MS).length / rows.length;
}

/** Tracks whose plays are mostly skips. */
export function mostlySkipped(rows: PlayEvent[]): string[] {
  const tally = new Map<string, { skips: number; plays: number }>();
  for (const r of rows) {
    const t = tally.get(r.track_id) ?? { skips: 0, plays: 0 };
    t.plays++;
    if (r.ms_played < SKIP_MS) t.skips++;
    tally.set(r.track_id, t);
  }
  return [...tally].filter(([, t]) => t.skips * 2 > t.plays).map(([track]) => track).sort();
}`,
    `
test('the skip rate counts plays under 30 s', async () => {
  const rows = await loadEvents();
  let skips = 0;
  for (const r of rows) if (r.ms_played < 30_000) skips++;
  const rate = skipRate(rows);
  assert.equal(rate, skips / rows.length);
  assert.ok(rate > 0 && rate < 1, 'the data has both skips and full listens');
  for (const track of mostlySkipped(rows)) {
    const plays = rows.filter((r) => r.track_id === track);
    assert.ok(plays.filter((r) => r.ms_played < 30_000).length > plays.length / 2, track);
  }
});`,
  ),
  consumer(
    'acme/country-coverage',
    'coverage',
    'ts',
    ['country'],
    'Data quality: how many plays carry a country.',
    'countryCoverage',
    `
/** Share of plays (0 to 1) that have a country. */
export function countryCoverage(rows: PlayEvent[]): number {
  return rows.length === 0 ? 0 : rows.filter((r) => r.country !== null).length / rows.length;
}`,
    `
test('most plays carry a country code', async () => {
  const rows = await loadEvents();
  const coverage = countryCoverage(rows);
  const missing = rows.filter((r) => r.country === null).length;
  assert.equal(coverage, 1 - missing / rows.length);
  assert.ok(coverage > 0.5, \`coverage \${coverage} is above 50%\`);
  for (const r of rows) if (r.country !== null) assert.match(r.country, /^[A-Z]{2}$/);
});`,
  ),
  consumer(
    'acme/dedup-check',
    'duplicates',
    'ts',
    ['event_id'],
    'Ingestion check: no event is delivered twice.',
    'duplicateEventIds',
    `
/** Event ids that occur more than once, sorted. */
export function duplicateEventIds(rows: PlayEvent[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const r of rows) (seen.has(r.event_id) ? dup : seen).add(r.event_id);
  return [...dup].sort();
}`,
    `
test('no event id occurs twice', async () => {
  const rows = await loadEvents();
  assert.ok(rows.length > 0);
  assert.deepEqual(duplicateEventIds(rows), []);
  const sorted = rows.map((r) => r.event_id).sort();
  for (let i = 1; i < sorted.length; i++) assert.notEqual(sorted[i], sorted[i - 1]);
  for (const id of sorted) assert.match(id, /^evt-\\d{6}$/);
  assert.deepEqual(duplicateEventIds([...rows, rows[0]!]), [rows[0]!.event_id], 'a duplicate is found');
});`,
  ),
  consumer(
    'acme/longest-plays',
    'longest',
    'yaml',
    ['event_id', 'ms_played'],
    'The longest single plays, for the "marathon listeners" feed.',
    'longestPlays',
    `
/** The \`n\` longest plays, longest first (ties by event id). */
export function longestPlays(rows: PlayEvent[], n: number): PlayEvent[] {
  return [...rows].sort((a, b) => b.ms_played - a.ms_played || a.event_id.localeCompare(b.event_id)).slice(0, n);
}`,
    `
test('the longest plays come first', async () => {
  const rows = await loadEvents();
  const top = longestPlays(rows, 5);
  assert.equal(top.length, 5);
  assert.equal(top[0]!.ms_played, Math.max(...rows.map((r) => r.ms_played)));
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.ms_played >= top[i]!.ms_played);
  const longer = rows.filter((r) => r.ms_played > top[4]!.ms_played).length;
  assert.ok(longer <= 4, 'nothing longer was left out');
});`,
  ),
  consumer(
    'acme/daily-plays',
    'plays-per-day',
    'ts',
    ['ts'],
    'Daily play counts for the finance report.',
    'playsPerDay',
    `
/** Plays per UTC day (YYYY-MM-DD), days in order. */
export function playsPerDay(rows: PlayEvent[]): [string, number][] {
  const days = new Map<string, number>();
  for (const r of rows) {
    const day = new Date(Number(r.ts)).toISOString().slice(0, 10);
    days.set(day, (days.get(day) ?? 0) + 1);
  }
  return [...days].sort((a, b) => (a[0] < b[0] ? -1 : 1));
}`,
    `
test('daily counts cover every play, day by day', async () => {
  const rows = await loadEvents();
  const days = playsPerDay(rows);
  assert.ok(days.length > 1);
  assert.equal(days.reduce((s, [, n]) => s + n, 0), rows.length);
  for (const [day, n] of days) {
    const start = Date.parse(\`\${day}T00:00:00Z\`);
    assert.equal(n, rows.filter((r) => Number(r.ts) >= start && Number(r.ts) < start + 86_400_000).length, day);
  }
  for (let i = 1; i < days.length; i++) assert.ok(days[i - 1]![0] < days[i]![0]);
});`,
  ),
  consumer(
    'acme/country-ranking',
    'ranking',
    'json',
    ['country'],
    'Markets ranked by number of plays.',
    'rankCountries',
    `
/** Countries by number of plays, most first (ties by code); plays without a country are left out. */
export function rankCountries(rows: PlayEvent[]): { country: string; plays: number }[] {
  const plays = new Map<string, number>();
  for (const r of rows) if (r.country !== null) plays.set(r.country, (plays.get(r.country) ?? 0) + 1);
  return [...plays].map(([country, n]) => ({ country, plays: n })).sort((a, b) => b.plays - a.plays || a.country.localeCompare(b.country));
}`,
    `
test('markets are ranked by their plays', async () => {
  const rows = await loadEvents();
  const ranking = rankCountries(rows);
  assert.ok(ranking.length >= 3);
  for (const { country, plays } of ranking) assert.equal(plays, rows.filter((r) => r.country === country).length, country);
  for (let i = 1; i < ranking.length; i++) assert.ok(ranking[i - 1]!.plays >= ranking[i]!.plays);
  assert.equal(ranking.reduce((s, c) => s + c.plays, 0), rows.filter((r) => r.country !== null).length);
});`,
  ),
  consumer(
    'acme/median-listen',
    'median',
    'ts',
    ['ms_played'],
    'Typical listen: the median time played.',
    'medianMs',
    `
/** The median ms played (the mean of the two middle values for an even count). */
export function medianMs(rows: PlayEvent[]): number {
  if (rows.length === 0) return 0;
  const ms = rows.map((r) => r.ms_played).sort((a, b) => a - b);
  const mid = Math.floor(ms.length / 2);
  return ms.length % 2 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2;
}`,
    `
test('half the plays are at most the median, half at least', async () => {
  const rows = await loadEvents();
  const median = medianMs(rows);
  assert.ok(median > 0);
  assert.ok(rows.filter((r) => r.ms_played <= median).length >= rows.length / 2);
  assert.ok(rows.filter((r) => r.ms_played >= median).length >= rows.length / 2);
});`,
  ),
  consumer(
    'acme/catalog-stats',
    'catalog',
    'ts',
    ['track_id'],
    'Catalog statistics: which tracks are played at all.',
    'playedTracks',
    `
/** The distinct track ids that were played, sorted. */
export function playedTracks(rows: PlayEvent[]): string[] {
  return [...new Set(rows.map((r) => r.track_id))].sort();
}`,
    `
test('the played tracks are exactly those in the rows', async () => {
  const rows = await loadEvents();
  const tracks = playedTracks(rows);
  assert.ok(tracks.length > 1);
  const expected: string[] = [];
  for (const r of rows) if (!expected.includes(r.track_id)) expected.push(r.track_id);
  assert.deepEqual(tracks, expected.sort());
});`,
  ),
  consumer(
    'acme/ingest-monitor',
    'time-range',
    'sql',
    ['ts', 'event_id'],
    'Ingestion monitor: the time span the dataset covers.',
    'timeRange',
    `
/** First and last play time, as ISO strings. */
export function timeRange(rows: PlayEvent[]): { first: string; last: string } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    lo = Math.min(lo, Number(r.ts));
    hi = Math.max(hi, Number(r.ts));
  }
  return { first: new Date(lo).toISOString(), last: new Date(hi).toISOString() };
}`,
    `
test('the dataset spans a plausible time range', async () => {
  const rows = await loadEvents();
  const { first, last } = timeRange(rows);
  const times = rows.map((r) => Number(r.ts)).sort((a, b) => a - b);
  assert.equal(Date.parse(first), times[0]);
  assert.equal(Date.parse(last), times[times.length - 1]);
  assert.ok(first < last);
  assert.ok(first.startsWith('2026-'), first);
});`,
  ),
  consumer(
    'acme/listen-histogram',
    'histogram',
    'ts',
    ['ms_played'],
    'Histogram of play lengths, by whole minute.',
    'minuteHistogram',
    `
/** Number of plays per whole minute played: index 0 is under a minute. */
export function minuteHistogram(rows: PlayEvent[]): number[] {
  const buckets: number[] = [];
  for (const r of rows) {
    const m = Math.floor(r.ms_played / 60_000);
    while (buckets.length <= m) buckets.push(0);
    buckets[m]!++;
  }
  return buckets;
}`,
    `
test('the histogram counts each play in its minute', async () => {
  const rows = await loadEvents();
  const histogram = minuteHistogram(rows);
  assert.equal(histogram.reduce((a, b) => a + b, 0), rows.length);
  histogram.forEach((n, m) => {
    assert.equal(n, rows.filter((r) => r.ms_played >= m * 60_000 && r.ms_played < (m + 1) * 60_000).length, \`minute \${m}\`);
  });
  assert.ok(histogram[0]! > 0, 'some plays are under a minute');
});`,
  ),
  consumer(
    'acme/market-tracks',
    'top-track-per-country',
    'yaml',
    ['country', 'track_id'],
    'The most played track of each market.',
    'topTrackPerCountry',
    `
/** For each country, its most played track (ties: the smallest id). Plays without a country are left out. */
export function topTrackPerCountry(rows: PlayEvent[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.country === null) continue;
    const perTrack = counts.get(r.country) ?? new Map<string, number>();
    perTrack.set(r.track_id, (perTrack.get(r.track_id) ?? 0) + 1);
    counts.set(r.country, perTrack);
  }
  const out = new Map<string, string>();
  for (const [country, perTrack] of counts) {
    const best = [...perTrack].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]!;
    out.set(country, best[0]);
  }
  return out;
}`,
    `
test("each market's top track is played there at least as often as any other", async () => {
  const rows = await loadEvents();
  const top = topTrackPerCountry(rows);
  const countries = new Set(rows.flatMap((r) => (r.country === null ? [] : [r.country])));
  assert.deepEqual([...top.keys()].sort(), [...countries].sort());
  for (const [country, track] of top) {
    const here = rows.filter((r) => r.country === country);
    const count = (t: string) => here.filter((r) => r.track_id === t).length;
    for (const other of new Set(here.map((r) => r.track_id))) assert.ok(count(track) >= count(other), \`\${country}: \${track} vs \${other}\`);
  }
});`,
  ),
  consumer(
    'acme/short-plays',
    'short-by-country',
    'ts',
    ['ms_played', 'country'],
    'Short plays (under 30 s) per market, for the player team.',
    'shortPlaysByCountry',
    `
/** Plays under \`limitMs\` per country ("unknown" when missing). */
export function shortPlaysByCountry(rows: PlayEvent[], limitMs: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) {
    if (r.ms_played >= limitMs) continue;
    const key = r.country ?? 'unknown';
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}`,
    `
test('short plays per market add up to all short plays', async () => {
  const rows = await loadEvents();
  const short = shortPlaysByCountry(rows, 30_000);
  const all = rows.filter((r) => r.ms_played < 30_000);
  assert.ok(all.length > 0);
  assert.equal(Object.values(short).reduce((a, b) => a + b, 0), all.length);
  for (const [country, n] of Object.entries(short)) {
    assert.equal(n, all.filter((r) => (r.country ?? 'unknown') === country).length, country);
  }
});`,
  ),
  consumer(
    'acme/weekend-report',
    'weekend-share',
    'ts',
    ['ts'],
    'Weekend report: the share of plays on Saturdays and Sundays (UTC).',
    'weekendShare',
    `
/** Share of plays (0 to 1) on a Saturday or Sunday, UTC. */
export function weekendShare(rows: PlayEvent[]): number {
  if (rows.length === 0) return 0;
  const weekend = rows.filter((r) => {
    const day = new Date(Number(r.ts)).getUTCDay();
    return day === 0 || day === 6;
  });
  return weekend.length / rows.length;
}`,
    `
test('the weekend share counts Saturday and Sunday plays', async () => {
  const rows = await loadEvents();
  // 1970-01-01 was a Thursday: day index 2 and 3 of the week counted from Thursday are Sat and Sun
  const weekend = rows.filter((r) => [2, 3].includes(Math.floor(Number(r.ts) / 86_400_000) % 7)).length;
  const share = weekendShare(rows);
  assert.equal(share, weekend / rows.length);
  assert.ok(share > 0 && share < 1);
});`,
  ),
  consumer(
    'acme/listening-hours',
    'total-hours',
    'json',
    ['ms_played'],
    'Total listening hours, the headline number of the monthly letter.',
    'totalHours',
    `
/** Total time played, in hours rounded to two decimals. */
export function totalHours(rows: PlayEvent[]): number {
  const ms = rows.reduce((sum, r) => sum + r.ms_played, 0);
  return Math.round((ms / 3_600_000) * 100) / 100;
}`,
    `
test('total hours are the sum of the plays', async () => {
  const rows = await loadEvents();
  let seconds = 0;
  for (const r of rows) seconds += r.ms_played / 1000;
  const hours = totalHours(rows);
  assert.ok(hours > 0);
  assert.ok(Math.abs(hours - seconds / 3600) <= 0.005 + 1e-9, \`\${hours} vs \${seconds / 3600}\`);
});`,
  ),
];

/**
 * A consumer that asked not to receive Fleetwave pull requests (`.fleetwave/opt-out`): it reads the
 * dataset, so code search finds it, but discovery must leave it out.
 */
export const OPTED_OUT_CONSUMER: ConsumerSpec = consumer(
  'acme/finance-ledger',
  'billable-ms',
  'ts',
  ['ms_played'],
  'Finance ledger: billable listening time. Migrated by hand under change control.',
  'billableMs',
  `
/** Listening time that is billed: plays of 30 s or more. */
export function billableMs(rows: PlayEvent[]): number {
  return rows.filter((r) => r.ms_played >= 30_000).reduce((sum, r) => sum + r.ms_played, 0);
}`,
  `
test('billable time is the time of plays of 30 s or more', async () => {
  const rows = await loadEvents();
  let expected = 0;
  for (const r of rows) if (r.ms_played >= 30_000) expected += r.ms_played;
  assert.equal(billableMs(rows), expected);
  assert.ok(expected > 0);
});`,
);
