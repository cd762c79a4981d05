import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fleetwave's own folder (where its package.json is), from src/ in tests or build/src/ when built. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'fleetwave') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the fleetwave package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Fleetwave's version, from package.json (journalled with every action so runs are traceable). */
export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
