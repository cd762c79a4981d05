/**
 * Manifest parsing: time per parse of manifests/play-events-v2.yaml with the `yaml` package as the
 * loader uses it (CST, depth check, positions), the whole loader (YAML + schema + relation checks),
 * and js-yaml's `load` when it is installed (a transitive dev dependency; for docs/decisions/0001),
 * next to JSON.parse of the same content as the baseline. Then how fast hostile input is refused.
 * Figures only; nothing is asserted.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseManifest } from '../src/manifest/load.js';
import { readYaml } from '../src/manifest/yaml-document.js';
import { printTable } from './measure.js';

const file = 'manifests/play-events-v2.yaml';
const text = readFileSync(file, 'utf8');
const asJson = JSON.stringify(readYaml(text).value);

function perCall(work: () => unknown, iterations: number): number {
  for (let i = 0; i < Math.min(200, iterations); i++) work();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) work();
  return (performance.now() - start) / iterations;
}

function once(work: () => unknown): number {
  const start = performance.now();
  try {
    work();
  } catch {
    // refused, as expected: only the time matters here
  }
  return performance.now() - start;
}

const n = 2000;
const rows: Record<string, string | number>[] = [
  { what: 'JSON.parse of the same content (baseline)', 'µs per parse': Number((perCall(() => JSON.parse(asJson), n) * 1000).toFixed(1)) },
  {
    what: 'yaml: readYaml (CST, depth check, document with positions, toJS)',
    'µs per parse': Number((perCall(() => readYaml(text), n) * 1000).toFixed(1)),
  },
  {
    what: 'parseManifest (YAML + zod schema + relation checks)',
    'µs per parse': Number((perCall(() => parseManifest(text, file), n) * 1000).toFixed(1)),
  },
];
const jsYamlName = 'js-yaml';
try {
  const jsYaml = (await import(jsYamlName)) as { load(text: string): unknown; default?: { load(text: string): unknown } };
  const load = jsYaml.load ?? jsYaml.default!.load;
  rows.push({
    what: 'js-yaml load (no positions, no depth check)',
    'µs per parse': Number((perCall(() => load(text), n) * 1000).toFixed(1)),
  });
} catch {
  rows.push({ what: 'js-yaml load', 'µs per parse': 'not installed' });
}
console.log(`${file}: ${Buffer.byteLength(text)} bytes, ${n} parses each`);
printTable(rows);

let bomb = 'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
for (let i = 1; i < 10; i++)
  bomb += `a${i}: &a${i} [${Array(10)
    .fill(`*a${i - 1}`)
    .join(', ')}]\n`;
const deep = `apiVersion: ${'['.repeat(500_000)}${']'.repeat(500_000)}\n`;
const big = `# ${'x'.repeat(2 * 1024 * 1024)}\n`;
printTable([
  {
    hostile: 'billion laughs (10^9 nodes if expanded)',
    bytes: bomb.length,
    'ms to refuse': Number(once(() => parseManifest(bomb, 'bomb.yaml')).toFixed(2)),
  },
  {
    hostile: '500,000 nested [ (1 MB)',
    bytes: deep.length,
    'ms to refuse': Number(once(() => parseManifest(deep, 'deep.yaml')).toFixed(2)),
  },
  { hostile: '2 MiB file', bytes: big.length, 'ms to refuse': Number(once(() => parseManifest(big, 'big.yaml')).toFixed(2)) },
]);
