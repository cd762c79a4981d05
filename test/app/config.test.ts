import { describe, expect, it } from '@jest/globals';
import { parseCommand } from '../../src/app/commands.js';
import { appWorkersFromEnv, configFromEnv } from '../../src/app/config.js';
import { InputError } from '../../src/util/errors.js';

describe('App settings from the environment', () => {
  it('uses the defaults when nothing is set', () => {
    expect(configFromEnv({})).toEqual({
      manifestGlobs: ['.fleetwave/migrations/*.yaml', 'migrations/*.yaml'],
      limits: {},
      mergeMethod: 'squash',
      manifestPolicy: null,
      autoMerge: 'native',
      queueDelayMs: 2000,
    });
  });

  it('reads globs, merge method, budget and git URL', () => {
    expect(
      configFromEnv({
        FLEETWAVE_MANIFEST_GLOBS: 'data/migrations/*.yaml, *.yml',
        FLEETWAVE_MERGE_METHOD: 'merge',
        FLEETWAVE_AUTO_MERGE: 'api',
        FLEETWAVE_WRITES_PER_MINUTE: '20',
        FLEETWAVE_WRITES_PER_HOUR: '200',
        FLEETWAVE_WRITE_GAP_MS: '2000',
        FLEETWAVE_GIT_URL: 'https://ghe.example.com',
        FLEETWAVE_QUEUE_DELAY_MS: '500',
        FLEETWAVE_MANIFEST_REPOS: 'acme/data-platform, acme/*-data',
      }),
    ).toEqual({
      manifestGlobs: ['data/migrations/*.yaml', '*.yml'],
      limits: { perMinute: 20, perHour: 200, minGapMs: 2000 },
      mergeMethod: 'merge',
      autoMerge: 'api',
      queueDelayMs: 500,
      gitBaseUrl: 'https://ghe.example.com',
      manifestPolicy: {
        origin: 'FLEETWAVE_MANIFEST_REPOS',
        rules: [
          { repository: 'acme/data-platform', targets: ['*/*'] },
          { repository: 'acme/*-data', targets: ['*/*'] },
        ],
      },
    });
  });

  it('names the variable and what to write when a value is wrong', () => {
    expect(() => configFromEnv({ FLEETWAVE_MERGE_METHOD: 'fast-forward' })).toThrow(InputError);
    expect(() => configFromEnv({ FLEETWAVE_MANIFEST_REPOS: 'data-platform' })).toThrow(
      /FLEETWAVE_MANIFEST_REPOS: "data-platform" is not an owner\/name repository/,
    );
    expect(() => configFromEnv({ FLEETWAVE_MERGE_METHOD: 'fast-forward' })).toThrow(
      /FLEETWAVE_MERGE_METHOD=fast-forward: expected merge, squash or rebase/,
    );
    expect(() => configFromEnv({ FLEETWAVE_AUTO_MERGE: 'always' })).toThrow(/FLEETWAVE_AUTO_MERGE=always: expected native or api/);
    expect(() => configFromEnv({ FLEETWAVE_WRITES_PER_MINUTE: 'lots' })).toThrow(/FLEETWAVE_WRITES_PER_MINUTE=lots/);
    expect(() => configFromEnv({ FLEETWAVE_MANIFEST_GLOBS: '**/migrations/*.yaml' })).toThrow(/<dir>\/\*\.yaml/);
  });
});

describe('who carries out the reconciles (FLEETWAVE_APP_WORKERS)', () => {
  it('is the App itself by default, workers when asked on a shared store, and refused otherwise', () => {
    expect(appWorkersFromEnv({}, false)).toBe('inline');
    expect(appWorkersFromEnv({ FLEETWAVE_APP_WORKERS: 'external' }, true)).toBe('external');
    expect(() => appWorkersFromEnv({ FLEETWAVE_APP_WORKERS: 'external' }, false)).toThrow(/FLEETWAVE_STATE must be a postgres:\/\/ URL/);
    expect(() => appWorkersFromEnv({ FLEETWAVE_APP_WORKERS: 'both' }, true)).toThrow(InputError);
  });
});

describe('/fleetwave commands', () => {
  it('parses each command from the first /fleetwave line', () => {
    expect(parseCommand('Thanks!\n/fleetwave pause\n')).toEqual({ ok: true, command: { kind: 'pause' } });
    expect(parseCommand('/fleetwave retry acme/recs')).toEqual({ ok: true, command: { kind: 'retry', repo: 'acme/recs' } });
    expect(parseCommand('/fleetwave trial')).toEqual({ ok: true, command: { kind: 'trial' } });
    expect(parseCommand('/fleetwave trial 5')).toEqual({ ok: true, command: { kind: 'trial', sample: 5 } });
    expect(parseCommand('/fleetwave trial 0')).toMatchObject({ ok: false });
    for (const verb of ['resume', 'approve', 'rollback'])
      expect(parseCommand(`/fleetwave ${verb}`)).toEqual({ ok: true, command: { kind: verb } });
  });

  it('says what is wrong with a malformed command, and ignores comments that are none', () => {
    expect(parseCommand('/fleetwave retry not-a-repo')).toMatchObject({ ok: false, error: expect.stringMatching(/owner\/name/) });
    expect(parseCommand('/fleetwave pause now')).toMatchObject({ ok: false, error: expect.stringMatching(/takes no argument/) });
    expect(parseCommand('/fleetwave deploy')).toMatchObject({ ok: false, error: expect.stringMatching(/unknown command `deploy`/) });
    expect(parseCommand('we should /fleetwave pause maybe')).toBeNull();
    expect(parseCommand('/fleetwavey pause')).toBeNull();
    expect(parseCommand(null)).toBeNull();
  });
});
