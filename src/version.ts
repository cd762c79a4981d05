import { readFileSync } from 'node:fs';

/** Fleetwave's version, from package.json (journalled with every action so runs are traceable). */
export const VERSION: string = (() => {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'fleetwave' && pkg.version) return pkg.version;
    } catch {
      // try the next candidate: src/ in tests, build/src/ when built
    }
  }
  return '0.0.0';
})();
