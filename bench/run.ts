/**
 * `npm run bench`: runs every `*.bench.js` beside this file (compiled from bench/*.bench.ts), each in
 * its own Node process so that peak memory is measured per benchmark. Figures are printed, never
 * asserted. `npm run bench -- <name>` runs only the benchmarks whose file name contains <name>.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of files) {
  console.log(`\n### ${file.replace(/\.bench\.js$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, file)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(benchmark ${file} exited with ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
