/**
 * Bodies GitHub accepts: at most 65,536 characters in an issue, pull request or comment body (422
 * "body is too long (maximum is 65536 characters)", docs/github-behaviour.md).
 */
import { describe, expect, it } from '@jest/globals';
import { bodySize, fitBody, fitRows, GITHUB_BODY_LIMIT } from '../../src/report/body-limit.js';

const note = (n: number) => `_${n} more lines are not shown._`;

describe('fitBody', () => {
  it('leaves a body that fits as it is', () => {
    expect(fitBody('a\nb\n', '<!-- m -->', note)).toBe('a\nb\n\n<!-- m -->');
  });

  it('cuts whole lines, says how many, and keeps the tail whole', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `- \`src/file-${i}.ts:${i}\` renameField: left unchanged; check by hand`);
    const tail = '<!-- fleetwave:{"migration":"events-v2"} -->';
    const body = fitBody(lines.join('\n'), tail, note);
    expect(bodySize(body)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body.endsWith(`\n${tail}`)).toBe(true);
    const shown = body.split('\n').filter((l) => l.startsWith('- `src/file-'));
    expect(shown.length).toBeGreaterThan(500);
    expect(lines.slice(0, shown.length)).toEqual(shown); // the first ones, whole, in order
    expect(body).toContain(`_${5000 - shown.length} more lines are not shown._`);
  });

  it('closes a <details> and a code fence it cut open', () => {
    const text = [
      '<details><summary>files</summary>',
      '',
      '```',
      ...Array.from({ length: 9000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`),
    ].join('\n');
    const body = fitBody(text, '', note);
    expect(bodySize(body)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toMatch(/```\n<\/details>\n\n_\d+ more lines are not shown\._$/);
  });

  it('counts bytes, so a body of multi-byte characters fits whichever way GitHub counts', () => {
    const lines = Array.from({ length: 20000 }, () => '⚠️ ü 漢字');
    const body = fitBody(lines.join('\n'), '', note);
    expect(bodySize(body)).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT);
  });
});

describe('fitRows', () => {
  it('keeps what fits in order and counts the rest in the last line', () => {
    const rows = Array.from({ length: 100 }, (_, i) => `row ${String(i).padStart(3, '0')}`); // 7 bytes + newline each
    const kept = fitRows(rows, 400, (n) => `${n} more`);
    expect(kept.at(-1)).toBe(`${100 - (kept.length - 1)} more`);
    expect(kept.slice(0, -1)).toEqual(rows.slice(0, kept.length - 1));
    expect(kept.reduce((n, r) => n + bodySize(r) + 1, 0)).toBeLessThanOrEqual(400);
    expect(fitRows(rows.slice(0, 3), 400, (n) => `${n} more`)).toEqual(rows.slice(0, 3));
  });
});
