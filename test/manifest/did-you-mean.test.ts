import { describe, expect, it } from '@jest/globals';
import { closest, didYouMean, editDistance } from '../../src/manifest/did-you-mean.js';
import { formatPath } from '../../src/manifest/yaml-positions.js';

describe('did you mean', () => {
  it('measures edit distance', () => {
    expect(editDistance('replcae', 'replace')).toBe(2);
    expect(editDistance('wavez', 'waves')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('suggests a close name, a different case, or nothing when nothing is close', () => {
    const keys = ['canary', 'waves', 'soak', 'maxOpenPRs', 'failureThreshold'];
    expect(closest('wave', keys)).toBe('waves');
    expect(closest('maxopenprs', keys)).toBe('maxOpenPRs');
    expect(closest('failureTreshold', keys)).toBe('failureThreshold');
    expect(closest('schedule', keys)).toBeUndefined();
    // Short names need a close match: one edit for up to five letters.
    expect(closest('sok', keys)).toBe('soak');
    expect(closest('sk', keys)).toBeUndefined();
    expect(didYouMean('replcae', ['replace', 'renameField'])).toBe(" (did you mean 'replace'?)");
    expect(didYouMean('zzz', ['replace'])).toBe('');
  });

  it('formats paths as dotted with indexes in brackets', () => {
    expect(formatPath(['rollout', 'waves', 2])).toBe('rollout.waves[2]');
    expect(formatPath(['changes', 0, 'replace', 'from'])).toBe('changes[0].replace.from');
    expect(formatPath(['changes', 1, 'renameImport', 'names', '1st'])).toBe('changes[1].renameImport.names["1st"]');
    expect(formatPath([])).toBe('');
  });
});
