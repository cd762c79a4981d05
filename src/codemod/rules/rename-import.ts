import { ts } from 'ts-morph';
import type { SourceRule, SpanEdit } from './rule.js';
import { renameImportParams, type RenameImportParams } from '../../manifest/change-rules.js';

/** The new specifier, or undefined when `spec` is not (or no longer) the old module. */
export function renamedSpecifier(p: RenameImportParams, spec: string): string | undefined {
  if (spec !== p.from && !spec.startsWith(`${p.from}/`)) return undefined;
  // `to` below `from` (pkg → pkg/v2): what is already there stays.
  if (p.to.startsWith(`${p.from}/`) && (spec === p.to || spec.startsWith(`${p.to}/`))) return undefined;
  return p.to + spec.slice(p.from.length);
}

function moduleOf(node: ts.Node | undefined): ts.StringLiteralLike | undefined {
  if (!node) return undefined;
  if (ts.isAwaitExpression(node)) return moduleOf(node.expression);
  if (ts.isCallExpression(node) && node.arguments.length >= 1) {
    const callee = node.expression;
    const isLoader = callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require');
    const arg = node.arguments[0]!;
    if (isLoader && ts.isStringLiteralLike(arg)) return arg;
  }
  return undefined;
}

/**
 * `renameImport`: moves imports from one module to another. Module specifiers of static imports,
 * re-exports (`export … from`), dynamic `import()`, `require()`, `import x = require()` and
 * `import('…')` types; `from` matches the whole specifier or its prefix up to a `/` (subpaths follow).
 * `names` renames imported bindings too, keeping the local name (`import { PlayEventV1 }` →
 * `import { PlayEvent as PlayEventV1 }`), so that no other line of the file changes.
 */
export const renameImportRule: SourceRule<RenameImportParams> = {
  kind: 'source',
  name: 'renameImport',
  params: renameImportParams,
  typed: false,
  describe: (p) =>
    `import \`${p.from}\` → \`${p.to}\`${
      Object.keys(p.names).length
        ? ` (names: ${Object.entries(p.names)
            .map(([a, b]) => `${a} → ${b}`)
            .join(', ')})`
        : ''
    }`,
  prefilter: (p, text) => text.includes(p.from),
  run(p, { files }) {
    const edits = new Map<string, SpanEdit[]>();
    for (const { path, sourceFile: sf } of files) {
      const out: SpanEdit[] = [];
      const specifier = (lit: ts.StringLiteralLike): boolean => {
        const next = renamedSpecifier(p, lit.text);
        const matches =
          lit.text === p.from ||
          lit.text.startsWith(`${p.from}/`) ||
          (next === undefined && (lit.text === p.to || lit.text.startsWith(`${p.to}/`)));
        if (next !== undefined) out.push({ start: lit.getStart(sf) + 1, end: lit.end - 1, text: next });
        return matches;
      };
      const renameName = (property: ts.Node | undefined, name: ts.Identifier | ts.StringLiteral | ts.ModuleExportName, keepAs: boolean) => {
        const key = property ?? name;
        if (!ts.isIdentifier(key)) return;
        const next = Object.hasOwn(p.names, key.text) ? p.names[key.text] : undefined;
        if (!next) return;
        const start = key.getStart(sf);
        out.push({ start, end: key.end, text: property || !keepAs ? next : `${next}${keepAs ? ` as ${key.text}` : ''}` });
      };
      const visit = (node: ts.Node): void => {
        if (
          (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
          node.moduleSpecifier &&
          ts.isStringLiteral(node.moduleSpecifier)
        ) {
          if (specifier(node.moduleSpecifier)) {
            const bindings = ts.isImportDeclaration(node) ? node.importClause?.namedBindings : node.exportClause;
            if (bindings && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
              for (const el of bindings.elements) renameName(el.propertyName, el.name, true);
            }
          }
        } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
          specifier(node.expression);
        } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
          if (specifier(node.argument.literal) && node.qualifier && ts.isIdentifier(node.qualifier))
            renameName(undefined, node.qualifier, false);
        } else if (ts.isVariableDeclaration(node) && moduleOf(node.initializer)) {
          // const { A, B: b } = require('m')  /  = await import('m')
          if (specifier(moduleOf(node.initializer)!) && ts.isObjectBindingPattern(node.name)) {
            for (const el of node.name.elements) {
              const key = el.propertyName ?? el.name;
              if (!ts.isIdentifier(key) || !Object.hasOwn(p.names, key.text)) continue;
              const next = p.names[key.text]!;
              out.push({ start: key.getStart(sf), end: key.end, text: el.propertyName ? next : `${next}: ${key.text}` });
            }
          }
          if (node.initializer) ts.forEachChild(node.initializer, visitCalls);
          return;
        } else if (moduleOf(node)) {
          specifier(moduleOf(node)!);
        }
        ts.forEachChild(node, visit);
      };
      // Inside a require()/import() initializer only the specifier itself is left to rename.
      const visitCalls = (node: ts.Node): void => {
        if (!moduleOf(node)) ts.forEachChild(node, visit);
      };
      visit(sf);
      if (out.length) edits.set(path, out);
    }
    return { edits, findings: [] };
  },
};
