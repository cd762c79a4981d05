/**
 * Which TypeScript project a file of a consumer repository belongs to, and with which compiler options,
 * the way an editor (tsserver) decides it: the nearest `tsconfig.json` (or `jsconfig.json`) above the
 * file; when that config is solution-style (`files: []` + `references`) or does not include the file,
 * the referenced projects (depth first) that do. Options come through the whole `extends` chain (with
 * `paths` relative to the config that declares them). A config that cannot be read, or whose `extends`
 * names a package that is not installed, is still used for what it says itself, and the problem is
 * kept as an issue (`file:line`) for a warning finding: the analysis then runs on partial options.
 */
import { dirname, join, relative } from 'node:path';
import { ts } from 'ts-morph';

export interface ConfigIssue {
  /** Repository-relative path of the config. */
  file: string;
  line?: number;
  message: string;
}

export interface ProjectConfig {
  /** Absolute path of the config file. */
  configPath: string;
  /** Options as the config (and its `extends` chain) gives them, before analysis defaults. */
  options: ts.CompilerOptions;
  /** Absolute paths of the files the config includes. */
  fileNames: ReadonlySet<string>;
  /** Absolute paths of referenced config files. */
  references: string[];
  /** `files: []` (or no inputs) with references: a solution that only points at other projects. */
  solution: boolean;
  issues: ConfigIssue[];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];

/** Reads and caches the project configs of one repository checkout. */
export class ProjectConfigs {
  private readonly cache = new Map<string, ProjectConfig | undefined>();
  private readonly nearest = new Map<string, string | undefined>();
  private readonly reported = new Set<string>();

  constructor(readonly dir: string) {}

  /** The config that owns `path` (repository-relative), or undefined when none does. */
  projectFor(path: string): ProjectConfig | undefined {
    const abs = join(this.dir, path);
    const near = this.nearestConfig(dirname(abs));
    if (!near) return undefined;
    const cfg = this.load(near);
    if (!cfg) return undefined;
    if (!cfg.solution && cfg.fileNames.has(abs)) return cfg;
    const found = this.searchReferences(cfg, abs, new Set([cfg.configPath]));
    if (found) return found;
    // Not listed anywhere (a script beside the config, a test folder the config excludes): the
    // nearest real config's options are the best guess; a solution's own options are empty.
    return cfg.solution ? this.firstReal(cfg, new Set([cfg.configPath])) : cfg;
  }

  /** Issues of configs loaded so far that have not been handed out yet (each reported once). */
  takeIssues(): ConfigIssue[] {
    const out: ConfigIssue[] = [];
    for (const cfg of this.cache.values()) {
      if (!cfg || this.reported.has(cfg.configPath)) continue;
      this.reported.add(cfg.configPath);
      out.push(...cfg.issues);
    }
    return out;
  }

  private searchReferences(cfg: ProjectConfig, abs: string, seen: Set<string>): ProjectConfig | undefined {
    for (const ref of cfg.references) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const child = this.load(ref);
      if (!child) continue;
      if (!child.solution && child.fileNames.has(abs)) return child;
      const deeper = this.searchReferences(child, abs, seen);
      if (deeper) return deeper;
    }
    return undefined;
  }

  private firstReal(cfg: ProjectConfig, seen: Set<string>): ProjectConfig | undefined {
    for (const ref of cfg.references) {
      if (seen.has(ref)) continue;
      seen.add(ref);
      const child = this.load(ref);
      if (child && !child.solution) return child;
      const deeper = child && this.firstReal(child, seen);
      if (deeper) return deeper;
    }
    return undefined;
  }

  private nearestConfig(absDir: string): string | undefined {
    if (this.nearest.has(absDir)) return this.nearest.get(absDir);
    let found: string | undefined;
    for (const name of CONFIG_NAMES) {
      const p = join(absDir, name);
      if (ts.sys.fileExists(p)) {
        found = p;
        break;
      }
    }
    if (!found && absDir !== this.dir && absDir.startsWith(this.dir)) found = this.nearestConfig(dirname(absDir));
    this.nearest.set(absDir, found);
    return found;
  }

  /** Parses one config (cached); a reference may name a folder (its tsconfig.json) or a file. */
  load(pathOrDir: string): ProjectConfig | undefined {
    const configPath = pathOrDir.endsWith('.json') ? pathOrDir : join(pathOrDir, 'tsconfig.json');
    if (this.cache.has(configPath)) return this.cache.get(configPath);
    this.cache.set(configPath, undefined); // a reference cycle ends here
    const rel = relative(this.dir, configPath);
    if (rel.startsWith('..') || !ts.sys.fileExists(configPath)) return undefined;
    const text = ts.sys.readFile(configPath) ?? '';
    const read = ts.parseConfigFileTextToJson(configPath, text);
    const issues: ConfigIssue[] = [];
    if (read.error) {
      issues.push({
        file: rel,
        line: lineOf(text, read.error.start),
        message: `${ts.flattenDiagnosticMessageText(read.error.messageText, '\n')}: its options were not used`,
      });
    }
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, dirname(configPath), undefined, configPath);
    for (const e of parsed.errors) {
      if (e.code === 18003 || e.code === 18002) continue; // no inputs: a solution-style config
      const msg = ts.flattenDiagnosticMessageText(e.messageText, '\n');
      const missingBase = e.code === 6053 && /extends|not found/.test(msg);
      issues.push({
        file: rel,
        line: missingBase ? lineOf(text, text.indexOf('"extends"')) : lineOf(text, e.start),
        message: missingBase
          ? `its \`extends\` base is not installed here (${msg}): analysed with this config's own options and Fleetwave's defaults, so paths or options from the base are missing`
          : msg,
      });
    }
    const references = (parsed.projectReferences ?? []).map((r) => (r.path.endsWith('.json') ? r.path : join(r.path, 'tsconfig.json')));
    const cfg: ProjectConfig = {
      configPath,
      options: parsed.options,
      fileNames: new Set(parsed.fileNames),
      references,
      solution: parsed.fileNames.length === 0 && references.length > 0,
      issues,
    };
    this.cache.set(configPath, cfg);
    return cfg;
  }
}

function lineOf(text: string, pos: number | undefined): number | undefined {
  if (pos === undefined || pos < 0) return undefined;
  return text.slice(0, pos).split('\n').length;
}

/** Fleetwave's options for analysis on top of a project's own (see program.ts). */
export function analysisOptions(options: ts.CompilerOptions, forAnalysis: boolean): ts.CompilerOptions {
  const merged: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
    strict: true,
    ...options,
    allowJs: true,
    noEmit: true,
    skipLibCheck: true,
    types: options.types ?? [],
  };
  // Project references are followed to their sources, not to built declarations (there are none in a checkout).
  delete merged.composite;
  delete merged.declarationDir;
  delete merged.outDir;
  delete merged.rootDir;
  delete merged.incremental;
  delete merged.tsBuildInfoFile;
  if (forAnalysis && !options.lib) merged.lib = ['lib.es2022.d.ts'];
  return merged;
}
