import { ts } from 'ts-morph';
import type { Finding } from '../port.js';
import { classifyProperty } from '../ts/field-refs.js';
import { lineOfNode } from '../ts/parse.js';
import { typedFilesOf } from '../ts/program.js';
import type { SourceRule, SpanEdit } from './rule.js';
import { renameCallParams, type RenameCallParams } from '../../manifest/change-rules.js';

function split(p: RenameCallParams): { type?: string; name: string } {
  const dot = p.from.indexOf('.');
  return dot === -1 ? { name: p.from } : { type: p.from.slice(0, dot), name: p.from.slice(dot + 1) };
}

/** The new argument list text for a call. */
export function mapArguments(templates: readonly string[], args: readonly string[]): string {
  const out: string[] = [];
  for (const t of templates) {
    const only = /^\$(\d+)$/.exec(t.trim());
    if (only) {
      const a = args[Number(only[1])];
      if (a !== undefined) out.push(a);
      continue;
    }
    out.push(t.replace(/\$(\d+)/g, (_m, n: string) => args[Number(n)] ?? 'undefined'));
  }
  return out.join(', ');
}

function importedFrom(decl: ts.Declaration): string | undefined {
  // import { readAvro } from 'm'  /  import { readAvro as r } from 'm'
  if (ts.isImportSpecifier(decl)) {
    const spec = decl.parent.parent.parent.moduleSpecifier;
    return ts.isStringLiteral(spec) ? spec.text : undefined;
  }
  // const { readAvro } = require('m')
  if (ts.isBindingElement(decl)) {
    let v: ts.Node = decl.parent.parent;
    if (!ts.isVariableDeclaration(v) || !v.initializer) return undefined;
    v = v.initializer;
    if (ts.isAwaitExpression(v)) v = v.expression;
    if (ts.isCallExpression(v) && v.arguments[0] && ts.isStringLiteral(v.arguments[0])) return v.arguments[0].text;
  }
  return undefined;
}

function importedName(decl: ts.Declaration): string | undefined {
  if (ts.isImportSpecifier(decl)) return (decl.propertyName ?? decl.name).text;
  if (ts.isBindingElement(decl)) {
    const key = decl.propertyName ?? decl.name;
    return ts.isIdentifier(key) ? key.text : undefined;
  }
  return undefined;
}

function isTopLevelFunction(decl: ts.Declaration, name: string): boolean {
  if (ts.isFunctionDeclaration(decl)) return decl.name?.text === name && ts.isSourceFile(decl.parent);
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.name.text === name)
    return ts.isSourceFile(decl.parent.parent.parent);
  return false;
}

/**
 * `renameCall`: renames a function (imported from `module`, or declared at the top level of a file)
 * or a method (`Type.method`) at every call, with an optional argument mapping: `args` lists the new
 * arguments, where `$0`, `$1`… stand for the old ones (`readAvro(p)` → `readParquet(p, { … })` is
 * `args: ['$0', '{ … }']`; an entry that is just a missing `$n` is dropped). Resolved through the type
 * checker: a local function or variable that shadows the name is left alone.
 */
export const renameCallRule: SourceRule<RenameCallParams> = {
  kind: 'source',
  name: 'renameCall',
  params: renameCallParams,
  typed: true,
  describe: (p) =>
    `rename call \`${p.from}\` → \`${p.to}\`${p.module ? ` (from \`${p.module}\`)` : ''}${p.args ? ` with arguments (${p.args.join(', ')})` : ''}`,
  prefilter: (p, text) => text.includes(split(p).name),
  relevant: (p, text) => text.includes(split(p).type ?? p.module ?? split(p).name),
  run(p, { files, checker: firstChecker, program }) {
    if (!firstChecker) throw new Error('renameCall needs the type checker');
    const { type, name } = split(p);
    const edits = new Map<string, SpanEdit[]>();
    const findings: Finding[] = [];
    const typed = typedFilesOf(program);
    for (const { path, sourceFile: sf } of files) {
      // the checker of the program this file was analysed in (one per project of the repository)
      const checker = typed?.projectOf(path)?.checker ?? firstChecker;
      if (!checker) throw new Error('renameCall needs the type checker');
      const out: SpanEdit[] = [];
      /** Local symbols (imports, top-level functions) whose identifier uses all get the new name. */
      const renamedLocals = new Set<ts.Symbol>();
      const matchesFunction = (id: ts.Identifier): 'rename' | 'args' | undefined => {
        const sym = checker.getSymbolAtLocation(id);
        const decl = sym?.declarations?.[0];
        if (!sym || !decl) return undefined;
        if (p.module !== undefined) {
          if (importedFrom(decl) !== p.module || importedName(decl) !== name) return undefined;
          return id.text === name ? 'rename' : 'args';
        }
        return isTopLevelFunction(decl, name) || importedName(decl) === name ? (id.text === name ? 'rename' : 'args') : undefined;
      };
      const visit = (node: ts.Node): void => {
        if (type === undefined && p.module !== undefined && ts.isImportSpecifier(node) && node.propertyName?.text === name) {
          // import { readAvro as r } from 'm' → import { readParquet as r } from 'm'
          const spec = node.parent.parent.parent.moduleSpecifier;
          if (ts.isStringLiteral(spec) && spec.text === p.module)
            out.push({ start: node.propertyName.getStart(sf), end: node.propertyName.end, text: p.to });
        }
        if (
          type !== undefined &&
          (ts.isMethodDeclaration(node) || ts.isMethodSignature(node)) &&
          ts.isIdentifier(node.name) &&
          node.name.text === name
        ) {
          const owner = node.parent;
          if ((ts.isClassDeclaration(owner) || ts.isInterfaceDeclaration(owner)) && owner.name?.text === type)
            out.push({ start: node.name.getStart(sf), end: node.name.end, text: p.to });
        }
        if (ts.isCallExpression(node)) {
          const callee = node.expression;
          let hit = false;
          if (
            type !== undefined &&
            (ts.isPropertyAccessExpression(callee) || ts.isPropertyAccessChain(callee)) &&
            callee.name.text === name
          ) {
            const c = classifyProperty(checker.getSymbolAtLocation(callee.name), new Set([type]));
            if (c === 'yes') {
              out.push({ start: callee.name.getStart(sf), end: callee.name.end, text: p.to });
              hit = true;
            } else if (c === 'mixed') {
              findings.push({
                severity: 'warning',
                file: path,
                line: lineOfNode(callee),
                message: `renameCall ${p.from}: the receiver may be another type with the same method; left unchanged`,
              });
            }
          } else if (type === undefined && ts.isIdentifier(callee) && callee.text !== p.to) {
            const m = matchesFunction(callee);
            if (m === 'rename') {
              const sym = checker.getSymbolAtLocation(callee);
              if (sym) renamedLocals.add(sym);
            }
            hit = m !== undefined;
          } else if (
            type === undefined &&
            ts.isPropertyAccessExpression(callee) &&
            callee.name.text === name &&
            p.module !== undefined &&
            ts.isIdentifier(callee.expression)
          ) {
            // import * as avro from 'm'; avro.readAvro(…)
            const ns = checker.getSymbolAtLocation(callee.expression)?.declarations?.[0];
            if (
              ns &&
              ts.isNamespaceImport(ns) &&
              ts.isStringLiteral(ns.parent.parent.moduleSpecifier) &&
              ns.parent.parent.moduleSpecifier.text === p.module
            ) {
              out.push({ start: callee.name.getStart(sf), end: callee.name.end, text: p.to });
              hit = true;
            }
          }
          if (hit && p.args) {
            const oldArgs = node.arguments.map((a) => a.getText(sf));
            const text = mapArguments(p.args, oldArgs);
            const start = node.arguments.length ? node.arguments[0]!.getStart(sf) : node.arguments.pos;
            const end = node.arguments.length ? node.arguments[node.arguments.length - 1]!.end : node.arguments.end;
            if (text !== oldArgs.join(', ')) out.push({ start, end, text });
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
      if (type === undefined && p.module === undefined) {
        // The function itself, wherever it is declared, imported or re-exported, even where nothing calls
        // it (a declaration used only by other files, a barrel's `export { f } from './f'`).
        const toFunction = (id: ts.Node): boolean => {
          let sym = checker.getSymbolAtLocation(id);
          if (sym && sym.flags & ts.SymbolFlags.Alias) sym = checker.getAliasedSymbol(sym);
          const decl = sym?.declarations?.[0];
          return !!decl && isTopLevelFunction(decl, name);
        };
        const renameId = (id: ts.Identifier) => out.push({ start: id.getStart(sf), end: id.end, text: p.to });
        for (const st of sf.statements) {
          if (ts.isFunctionDeclaration(st) && st.name?.text === name) {
            const sym = checker.getSymbolAtLocation(st.name);
            if (sym) renamedLocals.add(sym);
          } else if (ts.isVariableStatement(st)) {
            for (const d of st.declarationList.declarations) {
              const sym = ts.isIdentifier(d.name) && d.name.text === name ? checker.getSymbolAtLocation(d.name) : undefined;
              if (sym) renamedLocals.add(sym);
            }
          } else if (ts.isImportDeclaration(st) && st.importClause?.namedBindings && ts.isNamedImports(st.importClause.namedBindings)) {
            for (const spec of st.importClause.namedBindings.elements) {
              if ((spec.propertyName ?? spec.name).text !== name || !toFunction(spec.name)) continue;
              if (spec.propertyName && ts.isIdentifier(spec.propertyName)) renameId(spec.propertyName);
              else {
                const sym = checker.getSymbolAtLocation(spec.name);
                if (sym) renamedLocals.add(sym);
              }
            }
          }
        }
        for (const st of sf.statements) {
          if (!ts.isExportDeclaration(st) || !st.exportClause || !ts.isNamedExports(st.exportClause)) continue;
          for (const spec of st.exportClause.elements) {
            const local = spec.propertyName ?? spec.name;
            if (!ts.isIdentifier(local) || local.text !== name) continue;
            const target = st.moduleSpecifier ? undefined : checker.getExportSpecifierLocalTargetSymbol(spec);
            const hit = st.moduleSpecifier ? toFunction(spec.name) : !!target && (renamedLocals.has(target) || toFunction(local));
            if (hit) renameId(local);
          }
        }
      }
      // Every use of a renamed binding (the import or declaration and other references) follows.
      if (renamedLocals.size) {
        const rename = (node: ts.Node): void => {
          if (ts.isIdentifier(node) && node.text === name && !ts.isExportSpecifier(node.parent)) {
            const parent = node.parent;
            const sym = checker.getSymbolAtLocation(node);
            if (sym && renamedLocals.has(sym)) {
              if (ts.isShorthandPropertyAssignment(parent)) out.push({ start: node.getStart(sf), end: node.end, text: `${name}: ${p.to}` });
              else out.push({ start: node.getStart(sf), end: node.end, text: p.to });
            }
          }
          ts.forEachChild(node, rename);
        };
        rename(sf);
      }
      if (out.length) edits.set(path, out);
    }
    return { edits, findings };
  },
};
