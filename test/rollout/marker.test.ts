/** The PR marker (src/rollout/marker.ts) round-trips, and the hash of a change says when a change is the same. */
import { describe, expect, it } from '@jest/globals';
import { changesHash, parseMarker, renderMarker } from '../../src/rollout/marker.js';

describe('the PR marker', () => {
  it('round-trips every field, the change’s hash included, and ignores unknown or malformed ones', () => {
    const marker = { migration: 'm', manifestHash: 'abc', source: 'acme/data:m.yaml', agent: true as const, changes: '0123456789abcdef' };
    expect(parseMarker(`body\n\n${renderMarker(marker)}`)).toEqual(marker);
    expect(parseMarker('<!-- fleetwave:{"migration":"m","manifestHash":"abc","changes":7,"other":1} -->')).toEqual({
      migration: 'm',
      manifestHash: 'abc',
    });
    expect(parseMarker('<!-- fleetwave:{"migration":"m"} -->')).toBeNull();
  });

  it('a change’s hash depends on the files and their new content, not on the order of the edits', () => {
    const a = { path: 'a.yaml', after: 'x: 1\n' };
    const b = { path: 'b.yaml', after: null };
    expect(changesHash([a, b])).toBe(changesHash([b, a]));
    expect(changesHash([a, b])).not.toBe(changesHash([a]));
    expect(changesHash([a])).not.toBe(changesHash([{ ...a, after: 'x: 2\n' }]));
    expect(changesHash([{ path: 'a', after: 'b\0c' }])).not.toBe(changesHash([{ path: 'a\0b', after: 'c' }]));
    expect(changesHash([a])).toMatch(/^[0-9a-f]{16}$/);
  });
});
