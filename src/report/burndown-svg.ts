/**
 * The burndown as an inline SVG step chart (no script, no external asset), for the dashboard and the
 * static report. Pure.
 */
import type { Burndown, BurndownPoint } from './burndown.js';
import { escapeHtml } from './dashboard-escape.js';

export interface SvgBurndownOptions {
  /** Which series: consumers on the old dataset, or references to it. */
  series: 'consumers' | 'references';
  title: string;
  width?: number;
  height?: number;
}

const M = { left: 52, right: 24, top: 30, bottom: 44 };

function niceTicks(max: number): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((k) => k * mag).find((s) => s >= raw) ?? 10 * mag);
  const ticks: number[] = [];
  for (let v = 0; v <= max + step / 2; v += step) ticks.push(Math.round(v));
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks;
}

function timeLabel(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 2 * 86_400_000 ? iso.slice(5, 10) : spanMs > 86_400_000 ? iso.slice(5, 16).replace('T', ' ') : iso.slice(11, 16);
}

const fmt = (n: number) => (Math.round(n * 10) / 10).toString();

export function renderBurndownSvg(b: Burndown, options: SvgBurndownOptions): string {
  const width = options.width ?? 760;
  const height = options.height ?? 260;
  const value = (p: BurndownPoint) => (options.series === 'consumers' ? p.consumers : (p.references ?? 0));
  const points = options.series === 'references' ? b.points.filter((p) => p.references !== null) : b.points;
  const title = escapeHtml(options.title);
  if (points.length === 0) {
    return `<svg xmlns="http://www.w3.org/2000/svg" class="burndown" role="img" width="${width}" height="60" viewBox="0 0 ${width} 60"><title>${title}</title><text x="8" y="34" class="empty">No data yet.</text></svg>`;
  }
  const t0 = Date.parse(points[0]!.at);
  let t1 = Date.parse(points[points.length - 1]!.at);
  if (!(t1 > t0)) t1 = t0 + 3_600_000;
  const top = Math.max(options.series === 'consumers' ? b.total : 0, ...points.map(value));
  const ticks = niceTicks(top);
  const yMax = ticks[ticks.length - 1]!;
  const plotW = width - M.left - M.right;
  const plotH = height - M.top - M.bottom;
  const x = (ms: number) => M.left + ((ms - t0) / (t1 - t0)) * plotW;
  const y = (v: number) => M.top + plotH - (yMax === 0 ? 0 : (v / yMax) * plotH);

  let line = `M${fmt(x(t0))},${fmt(y(value(points[0]!)))}`;
  for (let i = 1; i < points.length; i++) {
    const px = fmt(x(Date.parse(points[i]!.at)));
    line += ` H${px} V${fmt(y(value(points[i]!)))}`;
  }
  line += ` H${fmt(x(t1))}`;
  const area = `${line} V${fmt(y(0))} H${fmt(x(t0))} Z`;

  const grid = ticks
    .map(
      (v) =>
        `<line class="grid" x1="${M.left}" x2="${width - M.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}"/><text class="tick" x="${M.left - 8}" y="${fmt(y(v) + 4)}" text-anchor="end">${v}</text>`,
    )
    .join('');
  const xTicks = Array.from({ length: 5 }, (_, i) => t0 + ((t1 - t0) * i) / 4)
    .map(
      (ms, i) =>
        `<text class="tick" x="${fmt(x(ms))}" y="${height - M.bottom + 18}" text-anchor="${i === 0 ? 'start' : i === 4 ? 'end' : 'middle'}">${timeLabel(ms, t1 - t0)}</text>`,
    )
    .join('');
  const last = points[points.length - 1]!;
  const unit = options.series === 'consumers' ? 'consumers' : 'references';
  const desc = `${value(last)} ${unit} left at ${last.at}${options.series === 'consumers' ? ` of ${b.total}` : ''}; started at ${value(points[0]!)} on ${points[0]!.at}.`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="burndown" role="img" aria-label="${title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<title>${title}</title><desc>${escapeHtml(desc)}</desc>`,
    `<text class="chart-title" x="${M.left}" y="18">${title}</text>`,
    grid,
    `<line class="axis" x1="${M.left}" x2="${width - M.right}" y1="${fmt(y(0))}" y2="${fmt(y(0))}"/>`,
    xTicks,
    `<text class="tick" x="${width - M.right}" y="${height - 6}" text-anchor="end">UTC</text>`,
    `<path class="area ${options.series}" d="${area}"/>`,
    `<path class="line ${options.series}" d="${line}" fill="none"/>`,
    `<circle class="dot ${options.series}" cx="${fmt(x(t1))}" cy="${fmt(y(value(last)))}" r="4"/>`,
    `<text class="last" x="${fmt(x(t1) - 8)}" y="${fmt(y(value(last)) - 10)}" text-anchor="end">${value(last)} left</text>`,
    '</svg>',
  ].join('');
}
