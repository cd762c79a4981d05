/**
 * The codemod engine: runs the manifest's `changes:` over one consumer repository, in order, and
 * returns the edits (path, before, after) with a summary per rule and findings for humans.
 *
 * - A cheap text prefilter picks the files a rule can match; only those are parsed (ts-morph), and a
 *   typed rule gets a program over them alone (the compiler loads their imports on demand).
 * - Rules return span edits: only the edited spans change, so formatting and comments elsewhere stay.
 * - Each rule sees the text left by the rules before it. Deterministic (sorted paths, no clocks) and
 *   idempotent when every rule is (running on migrated code yields no edit).
 * - Generated files (`@generated` markers, `*.d.ts` in generated folders, node_modules, dist, build)
 *   are skipped; a file that does not parse is skipped with a warning finding.
 * - GitHub Actions workflow files (`.github/workflows/**`) are left unchanged unless the manifest sets
 *   `consumers.editWorkflows`: GitHub refuses a push that changes one, and the merge of a branch that
 *   does, without the App's `workflows` permission. Each one a rule would have changed is a warning
 *   finding, so the plan, the PR body and the dashboard name it for the owners.
 */
import type { Logger } from '../util/log.js';
import { silentLogger } from '../util/log.js';
import type { ChangeApplier, ChangeContext, ChangeSet, Finding, RuleSummary } from './port.js';
import { importGraph, type ImportGraph } from './import-graph.js';
import { hasGeneratedMarker, isSourcePath, isWorkflowPath, listRepoFiles, readTextFile } from './repo-files.js';
import { findRule } from './rules/registry.js';
import type { AnyRepoRule, AnyRule, AnySourceRule, AnyTextRule, ParsedFile } from './rules/rule.js';
import { applySpanEdits } from './span-edits.js';
import { firstParseError, parseSource } from './ts/parse.js';
import { buildTypedFiles, compilerOptionsFor } from './ts/program.js';
import { InputError } from '../util/errors.js';

export interface EngineOptions {
  logger?: Logger;
  /** Called with a short line as each rule starts (the CLI shows it on a TTY). */
  onProgress?: (message: string) => void;
}

/** The rule and parameters of one `changes:` entry. */
export function ruleOfChange(change: Record<string, unknown>, index: number): { rule: AnyRule; params: unknown } {
  const names = Object.keys(change).filter((k) => change[k] !== undefined);
  const name = names[0];
  const rule = name === undefined || names.length !== 1 ? undefined : findRule(name);
  if (!rule || name === undefined)
    throw new InputError(`changes[${index}]: expected exactly one known rule, found ${names.join(', ') || 'none'}`);
  return { rule, params: change[name] };
}

export class CodemodEngine implements ChangeApplier {
  private readonly log: Logger;
  constructor(private readonly options: EngineOptions = {}) {
    this.log = options.logger ?? silentLogger;
  }

  async compute(ctx: ChangeContext): Promise<ChangeSet> {
    const ws = new Workspace(ctx.dir, ctx.manifest.consumers.editWorkflows === true);
    const summaries: RuleSummary[] = [];
    const changes = ctx.manifest.changes as Record<string, unknown>[];
    for (const [index, change] of changes.entries()) {
      const { rule, params } = ruleOfChange(change, index);
      // The agent runs after every rule and impact analysis, on what they leave (src/codemod/engine.ts).
      if (rule.kind === 'agent') continue;
      this.options.onProgress?.(`${ctx.repo}: ${rule.name} (${index + 1}/${changes.length})`);
      const started = Date.now();
      const counts = new Map<string, number>();
      if (rule.kind === 'text') this.runText(ws, rule, params, counts);
      else if (rule.kind === 'source') this.runSource(ws, rule, params, counts);
      else await this.runRepo(ws, ctx, rule, params, counts);
      this.log.debug({ repo: ctx.repo, rule: rule.name, files: counts.size, ms: Date.now() - started }, 'rule done');
      summaries.push({
        rule: rule.name,
        description: rule.describe(params),
        files: [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, count]) => ({ path, count })),
      });
    }
    return { edits: ws.edits(), summaries, findings: ws.findings };
  }

  private runText(ws: Workspace, rule: AnyTextRule, params: unknown, counts: Map<string, number>): void {
    for (const path of ws.paths) {
      if (!rule.appliesTo(params, path)) continue;
      const text = ws.read(path);
      if (text === undefined || !rule.prefilter(params, text)) continue;
      if (ws.isGenerated(path, rule.name)) continue;
      const out = rule.rewrite(params, text, path);
      if (out.count > 0 && out.text !== text && ws.mayEdit(path, rule.name)) {
        ws.write(path, out.text);
        counts.set(path, (counts.get(path) ?? 0) + out.count);
      }
    }
  }

  private runSource(ws: Workspace, rule: AnySourceRule, params: unknown, counts: Map<string, number>): void {
    let candidates = ws.paths.filter((path) => {
      if (!isSourcePath(path) || (rule.appliesTo && !rule.appliesTo(params, path))) return false;
      const text = ws.read(path);
      return text !== undefined && rule.prefilter(params, text) && !ws.isGenerated(path, rule.name);
    });
    if (candidates.length === 0) return;
    let files: ParsedFile[];
    let input: Parameters<AnySourceRule['run']>[1];
    if (rule.typed) {
      let graph: ImportGraph | undefined;
      if (rule.relevant) {
        // one listing and import graph for the candidates and the programs' files (buildTypedFiles)
        graph = importGraph(ws.sourceTexts());
        const seeds = [...graph.texts].filter(([, text]) => rule.relevant!(params, text)).map(([p]) => p);
        const reach = graph.closure(seeds);
        candidates = candidates.filter((p) => reach.has(p));
        if (candidates.length === 0) return;
      }
      const roots = new Map<string, string>();
      for (const p of candidates) roots.set(p, ws.read(p)!);
      for (const p of ws.changedPaths()) if (isSourcePath(p)) roots.set(p, ws.read(p)!);
      const bodyMayMatch = rule.bodyMayMatch?.bind(rule);
      const typed = buildTypedFiles(ws.dir, roots, ws.compilerOptions(), {
        graph,
        ...(bodyMayMatch ? { keepBody: (body: string) => bodyMayMatch(params, body) } : {}),
      });
      files = [];
      for (const path of candidates) {
        const sf = typed.sourceFile(path);
        if (sf && ws.parses(path, sf)) files.push({ path, sourceFile: sf });
      }
      input = { files, checker: typed.checker, program: typed.program };
    } else {
      files = [];
      for (const path of candidates) {
        const sf = parseSource(path, ws.read(path)!);
        if (ws.parses(path, sf)) files.push({ path, sourceFile: sf });
      }
      input = { files };
    }
    const out = rule.run(params, input);
    ws.findings.push(...out.findings);
    for (const [path, edits] of [...out.edits].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (edits.length === 0) continue;
      const before = ws.read(path)!;
      const after = applySpanEdits(before, edits);
      if (after === before || !ws.mayEdit(path, rule.name)) continue;
      ws.write(path, after);
      counts.set(path, (counts.get(path) ?? 0) + edits.length);
    }
  }

  private async runRepo(ws: Workspace, ctx: ChangeContext, rule: AnyRepoRule, params: unknown, counts: Map<string, number>): Promise<void> {
    const { metadata, dataset } = ctx.manifest;
    const out = await rule.run(params, {
      migration: metadata.name,
      dataset: { schema: dataset.schema, transform: dataset.transform, source: dataset.source, target: dataset.target },
      repo: ctx.repo,
      dir: ctx.dir,
      manifestDir: ctx.manifestDir,
      paths: ws.paths.filter((p) => !ws.isGeneratedQuiet(p)),
      read: (p) => ws.read(p),
    });
    ws.findings.push(...out.findings);
    for (const [path, text] of [...out.files].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (ws.read(path) === text || !ws.mayEdit(path, rule.name)) continue;
      ws.write(path, text);
      counts.set(path, out.counts?.get(path) ?? 1);
    }
  }
}

/** The repository as the rules see it: the files on disk with the edits of earlier rules laid over. */
class Workspace {
  readonly paths: string[];
  readonly findings: Finding[] = [];
  private readonly original = new Map<string, string | undefined>();
  private readonly current = new Map<string, string>();
  private readonly generated = new Map<string, boolean>();
  private readonly reportedGenerated = new Set<string>();
  private readonly unparsable = new Map<string, string | undefined>();
  private readonly reportedWorkflows = new Set<string>();
  private options?: ReturnType<typeof compilerOptionsFor>;

  constructor(
    readonly dir: string,
    private readonly editWorkflows: boolean,
  ) {
    const listing = listRepoFiles(dir);
    this.paths = listing.paths;
    for (const g of listing.generated) this.generated.set(g.path, true);
  }

  read(path: string): string | undefined {
    const cur = this.current.get(path);
    if (cur !== undefined) return cur;
    if (!this.original.has(path)) {
      let text: string | undefined;
      try {
        text = readTextFile(this.dir, path);
      } catch {
        text = undefined;
      }
      this.original.set(path, text);
    }
    return this.original.get(path);
  }

  write(path: string, text: string): void {
    if (!this.original.has(path)) this.read(path);
    this.current.set(path, text);
  }

  changedPaths(): string[] {
    return [...this.current.keys()];
  }

  /** Every source file's current text (for the import graph). */
  sourceTexts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const p of this.paths) {
      if (!isSourcePath(p)) continue;
      const t = this.read(p);
      if (t !== undefined) out.set(p, t);
    }
    return out;
  }

  isGeneratedQuiet(path: string): boolean {
    let g = this.generated.get(path);
    if (g === undefined) {
      const text = this.original.has(path) ? this.original.get(path) : this.read(path);
      g = text !== undefined && hasGeneratedMarker(text);
      this.generated.set(path, g);
    }
    return g;
  }

  /** Generated files are skipped; the first time one would have matched a rule, an info finding says so. */
  isGenerated(path: string, rule: string): boolean {
    if (!this.isGeneratedQuiet(path)) return false;
    if (!this.reportedGenerated.has(path)) {
      this.reportedGenerated.add(path);
      this.findings.push({ severity: 'info', file: path, message: `generated file left unchanged (it matched \`${rule}\`)` });
    }
    return true;
  }

  /**
   * Whether a rule may change the file: anything but a workflow file, which only a manifest with
   * `consumers.editWorkflows` may change; the first time a rule would have changed one, a warning
   * finding says so.
   */
  mayEdit(path: string, rule: string): boolean {
    if (this.editWorkflows || !isWorkflowPath(path)) return true;
    if (!this.reportedWorkflows.has(path)) {
      this.reportedWorkflows.add(path);
      this.findings.push({
        severity: 'warning',
        file: path,
        message:
          `workflow file left unchanged (\`${rule}\` would have changed it): GitHub refuses a push that changes a workflow file ` +
          'without the workflows permission; change it by hand, or set consumers.editWorkflows with an App that has workflows: write',
      });
    }
    return false;
  }

  /** False (and a warning finding, once) when the file has a syntax error. */
  parses(path: string, sf: Parameters<typeof firstParseError>[0]): boolean {
    if (!this.unparsable.has(path)) {
      const err = firstParseError(sf);
      this.unparsable.set(path, err);
      if (err)
        this.findings.push({
          severity: 'warning',
          file: path,
          line: Number(err.split(':')[0]),
          message: `skipped: the file does not parse (${err}); change it by hand if needed`,
        });
    }
    return this.unparsable.get(path) === undefined;
  }

  compilerOptions(): ReturnType<typeof compilerOptionsFor> {
    this.options ??= compilerOptionsFor(this.dir, true);
    return this.options;
  }

  edits(): ChangeSet['edits'] {
    const out: ChangeSet['edits'] = [];
    for (const path of [...this.current.keys()].sort()) {
      const before = this.original.get(path) ?? null;
      const after = this.current.get(path)!;
      if (before !== after) out.push({ path, before, after });
    }
    return out;
  }
}
