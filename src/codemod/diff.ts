/**
 * Line diffs of edits: a unified diff for review (`fleetwave codemod --dry-run`) and the count of
 * changed lines (minimal-diff checks). Myers' O((N+M)·D) algorithm over lines.
 */
import type { Edit } from './port.js';

type Op = { kind: 'same' | 'del' | 'add'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The shortest edit script from `a` to `b`, as a sequence of kept, deleted and added lines. */
export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  // Walk the trace back from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[--x]! });
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: 'add', line: b[--y]! });
      else ops.push({ kind: 'del', line: a[--x]! });
    }
  }
  return ops.reverse();
}

/** Lines removed and added between two texts. */
export function changedLineCount(before: string, after: string): { removed: number; added: number } {
  let removed = 0;
  let added = 0;
  for (const op of diffLines(splitLines(before), splitLines(after))) {
    if (op.kind === 'del') removed++;
    else if (op.kind === 'add') added++;
  }
  return { removed, added };
}

/** A unified diff (`git apply`-compatible) of one edit, with `context` lines around each change. */
export function unifiedDiff(edit: Edit, context = 3): string {
  const a = splitLines(edit.before ?? '');
  const b = splitLines(edit.after ?? '');
  const ops = diffLines(a, b);
  const header = [
    `--- ${edit.before === null ? '/dev/null' : `a/${edit.path}`}`,
    `+++ ${edit.after === null ? '/dev/null' : `b/${edit.path}`}`,
  ];
  const hunks: string[] = [];
  let i = 0;
  while (i < ops.length) {
    while (i < ops.length && ops[i]!.kind === 'same') i++;
    if (i >= ops.length) break;
    let start = Math.max(0, i - context);
    let end = i;
    // extend the hunk while changes are within 2*context lines of each other
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== 'same') end++;
      let next = end;
      while (next < ops.length && ops[next]!.kind === 'same') next++;
      if (next < ops.length && next - end <= 2 * context) end = next;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    let aLine = 1;
    let bLine = 1;
    for (let j = 0; j < start; j++) {
      if (ops[j]!.kind !== 'add') aLine++;
      if (ops[j]!.kind !== 'del') bLine++;
    }
    const body: string[] = [];
    let aCount = 0;
    let bCount = 0;
    for (let j = start; j < stop; j++) {
      const op = ops[j]!;
      body.push(`${op.kind === 'same' ? ' ' : op.kind === 'del' ? '-' : '+'}${op.line}`);
      if (op.kind !== 'add') aCount++;
      if (op.kind !== 'del') bCount++;
    }
    hunks.push(`@@ -${aCount ? aLine : aLine - 1},${aCount} +${bCount ? bLine : bLine - 1},${bCount} @@`, ...body);
    i = stop;
    start = stop;
  }
  return [...header, ...hunks].join('\n') + '\n';
}
