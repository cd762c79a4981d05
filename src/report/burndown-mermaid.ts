/**
 * The burndown as a Mermaid `xychart-beta` block, for the tracking issue and PR bodies (GitHub renders
 * Mermaid in Markdown). Pure.
 */
import { valueAt, type Burndown } from './burndown.js';

export interface MermaidBurndownOptions {
  /** Shown as the chart title, e.g. the migration's name. */
  title: string;
  /** Columns on the x axis (evenly spaced in time, each the state as of its time); at least 2. */
  columns?: number;
}

/** UTC labels short enough for a dozen columns, fine enough to tell the columns apart. */
function label(iso: string, spanMs: number): string {
  if (spanMs < 3_600_000) return iso.slice(11, 19);
  if (spanMs < 2 * 86_400_000) return iso.slice(5, 16).replace('T', ' ');
  return iso.slice(0, 10);
}

function quoted(text: string): string {
  return `"${text.replace(/["\n\r]/g, ' ')}"`;
}

function chart(title: string, axis: string, labels: string[], values: number[], max: number): string {
  return [
    'xychart-beta',
    `    title ${quoted(title)}`,
    `    x-axis [${labels.map(quoted).join(', ')}]`,
    `    y-axis ${quoted(axis)} 0 --> ${Math.max(1, max)}`,
    `    line [${values.join(', ')}]`,
  ].join('\n');
}

/** Sample times: the start, the end, evenly between (deduplicated when the span is short). */
function sampleTimes(b: Burndown, columns: number): string[] {
  const first = Date.parse(b.points[0]!.at);
  const last = Date.parse(b.points[b.points.length - 1]!.at);
  if (!(last > first)) return [b.points[0]!.at];
  const times = new Set<string>();
  for (let i = 0; i < columns; i++) times.add(new Date(first + ((last - first) * i) / (columns - 1)).toISOString());
  return [...times];
}

/**
 * A fenced ```mermaid block: consumers on the old dataset over time; when rescans were journaled,
 * a second chart of the references still in the code.
 */
export function renderBurndownMermaid(b: Burndown, options: MermaidBurndownOptions): string {
  const columns = Math.max(2, Math.min(24, Math.floor(options.columns ?? 12)));
  const times = sampleTimes(b, columns);
  const samples = times.map((t) => valueAt(b.points, t));
  const span = Date.parse(times[times.length - 1]!) - Date.parse(times[0]!);
  const labels = times.map((t) => label(t, span));
  const blocks = [
    chart(
      `${options.title}: consumers on the old dataset (${b.remaining} of ${b.total} left)`,
      'consumers',
      labels,
      samples.map((s) => s.consumers),
      b.total,
    ),
  ];
  if (b.references) {
    const refs = samples.map((s) => s.references ?? 0);
    blocks.push(
      chart(
        `${options.title}: references to the old dataset (${b.references.remaining} left)`,
        'references',
        labels,
        refs,
        Math.max(...refs, ...b.points.map((p) => p.references ?? 0)),
      ),
    );
  }
  return blocks.map((c) => `\`\`\`mermaid\n${c}\n\`\`\``).join('\n\n');
}
