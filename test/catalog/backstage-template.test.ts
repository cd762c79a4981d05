import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { validateEntity } from '../../src/catalog/entity.js';
import { manifestSchema } from '../../src/manifest/schema.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Step {
  id: string;
  action: string;
  input: Record<string, unknown>;
}
interface Template {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    parameters: { title: string; required?: string[]; properties: Record<string, { default?: unknown }> }[];
    steps: Step[];
    output: { links: Record<string, string>[] };
  };
}

const template = parse(read('backstage/template.yaml')) as Template;
const skeletonDir = join(ROOT, 'backstage/skeleton');
const skeletonFiles = readdirSync(skeletonDir);

/** Every `${{ … }}` expression in a value, recursively. */
function expressions(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\$\{\{\s*(.+?)\s*\}\}/g)].map((m) => m[1]!);
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value && typeof value === 'object') return Object.values(value).flatMap(expressions);
  return [];
}

/**
 * The subset of Nunjucks the skeleton uses, as the scaffolder's fetch:template renders it:
 * `${{ values.x }}`, `${{ values.x | dump }}`, and `{%- if values.a [and values.b] %}…{%- endif %}`.
 */
function render(text: string, values: Record<string, unknown>): string {
  const lookup = (expr: string) => {
    const m = /^values\.(\w+)$/.exec(expr.trim());
    if (!m) throw new Error(`unsupported expression ${expr}`);
    return values[m[1]!];
  };
  const withBlocks = text.replace(/\s*\{%-\s*if\s+(.+?)\s*%\}([\s\S]*?)\s*\{%-\s*endif\s*%\}/g, (_all, cond: string, body: string) =>
    cond.split(/\s+and\s+/).every((c) => Boolean(lookup(c))) ? body.replace(/\s+$/, '') : '',
  );
  return withBlocks.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_all, expr: string) => {
    const [path, filter] = expr.split('|').map((s) => s.trim());
    const v = lookup(path!);
    if (filter === 'dump') return JSON.stringify(v);
    if (filter) throw new Error(`unsupported filter ${filter}`);
    return String(v);
  });
}

const properties = Object.assign({}, ...template.spec.parameters.map((p) => p.properties)) as Record<string, { default?: unknown }>;
const fetchStep = template.spec.steps.find((s) => s.action === 'fetch:template')!;
const publishStep = template.spec.steps.find((s) => s.action === 'publish:github:pull-request')!;

/** What the scaffolder would pass to fetch:template for a form filled with `form` (defaults applied). */
function valuesFor(form: Record<string, unknown>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const [k, p] of Object.entries(properties)) params[k] = form[k] ?? p.default ?? '';
  const out: Record<string, unknown> = {};
  for (const [k, expr] of Object.entries(fetchStep.input.values as Record<string, string>)) {
    const m = /^\$\{\{\s*parameters\.(\w+)\s*\}\}$/.exec(expr);
    out[k] = m ? params[m[1]!] : expr;
  }
  return out;
}

describe('the Backstage Software Template', () => {
  it('is a scaffolder v1beta3 Template that the catalog accepts', async () => {
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    expect(template.kind).toBe('Template');
    const checked = await validateEntity(template, 'backstage/template.yaml');
    expect('entity' in checked ? null : checked.problem).toBeNull();
  });

  it('uses only parameters the form defines, and requires only defined ones', () => {
    const used = new Set(
      expressions({ steps: template.spec.steps, output: template.spec.output }).flatMap((e) =>
        [...e.matchAll(/parameters\.(\w+)/g)].map((m) => m[1]!),
      ),
    );
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) expect(Object.keys(properties)).toContain(name);
    for (const page of template.spec.parameters) for (const r of page.required ?? []) expect(Object.keys(page.properties)).toContain(r);
    // Nothing on the form is ignored.
    for (const name of Object.keys(properties)) expect([...used]).toContain(name);
  });

  it('renders the skeleton, then opens a pull request with exactly what was rendered', () => {
    const ids = template.spec.steps.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.indexOf(fetchStep.id)).toBeLessThan(ids.indexOf(publishStep.id));
    expect(fetchStep.input.url).toBe('./skeleton');
    expect(publishStep.input.sourcePath).toBe(fetchStep.input.targetPath);
    // Step outputs referenced are those of steps that exist.
    for (const e of expressions(template.spec)) {
      for (const m of e.matchAll(/steps(?:\.(\w+)|\['([\w-]+)'\])/g)) expect(ids).toContain(m[1] ?? m[2]);
    }
  });

  it('passes the skeleton every value it uses, and no value it does not use', () => {
    const given = Object.keys(fetchStep.input.values as object).sort();
    const used = new Set<string>();
    for (const f of skeletonFiles)
      for (const m of `${f}\n${readFileSync(join(skeletonDir, f), 'utf8')}`.matchAll(/values\.(\w+)/g)) used.add(m[1]!);
    expect([...used].sort()).toEqual(given);
  });

  it.each([
    ['with a rename and a sunset', { renameFrom: 'user_id', renameTo: 'userId', sunset: '2027-03-01' }],
    ['without the optional fields', {}],
  ])('renders a manifest that Fleetwave accepts, %s', (_label, extra) => {
    const values = valuesFor({
      name: 'play-events-v2',
      owner: 'group:default/data-platform',
      description: 'Move play events to Parquet: "v2"',
      dataset: 'api:default/play-events',
      sourceUri: 'data/play-events/v1/',
      sourceFormat: 'avro',
      targetUri: 'data/play-events/v2/',
      targetFormat: 'parquet',
      repoUrl: 'github.com?owner=acme&repo=play-events',
      ...extra,
    });
    expect(skeletonFiles).toEqual(['${{ values.name }}.yaml']);
    expect(render(skeletonFiles[0]!, values)).toBe('play-events-v2.yaml');
    const text = render(readFileSync(join(skeletonDir, skeletonFiles[0]!), 'utf8'), values);
    const result = manifestSchema.safeParse(parse(text));
    expect(result.success ? [] : result.error.issues).toEqual([]);
    const manifest = result.data!;
    expect(manifest.metadata.name).toBe('play-events-v2');
    expect(manifest.metadata.description).toBe('Move play events to Parquet: "v2"');
    expect(manifest.consumers.discover).toContainEqual({ catalog: 'api:default/play-events' });
    expect(manifest.rollout.canary).toBe(1);
    expect(manifest.rollout.soak).toBe('30m');
    if ('renameFrom' in extra) {
      expect(manifest.dataset.transform).toEqual([{ rename: { from: 'user_id', to: 'userId' } }]);
      expect(manifest.metadata.sunset).toBe('2027-03-01');
    } else {
      expect(manifest.dataset.transform).toEqual([]);
      expect(manifest.metadata.sunset).toBeUndefined();
    }
  });
});

describe("Fleetwave's own catalog-info.yaml and mkdocs.yml", () => {
  it('holds valid entities, and its Location points at the template', async () => {
    const docs = parseAllDocuments(read('catalog-info.yaml')).map(
      (d) => d.toJS() as { kind: string; spec: { targets?: string[] }; metadata: { annotations?: Record<string, string> } },
    );
    expect(docs.map((d) => d.kind)).toEqual(['Component', 'Location']);
    for (const [i, d] of docs.entries()) {
      const checked = await validateEntity(d, `catalog-info.yaml#${i + 1}`);
      expect('entity' in checked ? null : checked.problem).toBeNull();
    }
    expect(docs[0]!.metadata.annotations?.['backstage.io/techdocs-ref']).toBe('dir:.');
    for (const target of docs[1]!.spec.targets ?? []) expect(existsSync(join(ROOT, target))).toBe(true);
  });

  it('builds TechDocs from docs/, every nav entry an existing page', () => {
    type Nav = (string | Record<string, string | Nav>)[];
    const mkdocs = parse(read('mkdocs.yml')) as { plugins: string[]; docs_dir?: string; nav: Nav };
    expect(mkdocs.plugins).toContain('techdocs-core');
    const docsDir = join(ROOT, mkdocs.docs_dir ?? 'docs');
    const flatten = (nav: Nav): string[] =>
      nav.flatMap((entry) =>
        typeof entry === 'string' ? [entry] : Object.values(entry).flatMap((v) => (typeof v === 'string' ? [v] : flatten(v))),
      );
    const pages = flatten(mkdocs.nav);
    expect(pages.length).toBeGreaterThan(2);
    expect(pages.filter((page) => !existsSync(join(docsDir, page)))).toEqual([]);
    // and every page of docs/ is reachable from the nav
    const all = readdirSync(docsDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.split(sep).join('/'));
    expect(all.filter((page) => !pages.includes(page)).sort()).toEqual([]);
  });
});
