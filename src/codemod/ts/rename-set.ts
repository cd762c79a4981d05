/**
 * The places that name one field of one record type, as TypeScript's own "Rename Symbol" finds them,
 * plus the string-literal keys it leaves stale:
 *
 * 1. the field's declaration(s) on the type: `getPropertyOfType` on the declared type of every
 *    interface, type alias, class or JSDoc `@typedef` of that name, so members of type literals inside
 *    type references and intersections (`Readonly<{ f }>`, `A & Readonly<{ f }>`), inherited members,
 *    methods and getters all count;
 * 2. `findRenameLocations` of the language service from each declaration, with the editor's
 *    prefix/suffix text for shorthand properties and destructuring (`{ f }` → `{ g: f }`): the whole
 *    family of redeclarations (base interfaces, subtypes, implementing class members) and every use;
 * 3. string-literal keys TypeScript's rename leaves alone (`Pick<T, 'f'>`, `Omit<T, 'f'>`, `T['f']`,
 *    `'f' in t`, a literal typed `keyof T`), only where the key names a member of that family (so
 *    `Omit<OtherType, 'f'>` stays).
 *
 * What it cannot decide is returned as `unresolved` (file, node, why) instead of being guessed: a
 * value typed by a union of the record and another type with the same field, a value of type `any`.
 */
import { relative, sep } from 'node:path';
import { ts } from 'ts-morph';
import type { TypedFiles, TypedProject } from './program.js';

export interface RenameLocation {
  /** Repository-relative path. */
  path: string;
  start: number;
  end: number;
  prefixText: string;
  suffixText: string;
  node: ts.Node;
  /** Whether the code reads the field's value here (impact analysis), rather than declaring or constructing it. */
  read: boolean;
}

export interface UnresolvedPlace {
  path: string;
  node: ts.Node;
  why: string;
}

export interface FieldReferenceSet {
  /** Sorted by path and position; no duplicates. */
  locations: RenameLocation[];
  unresolved: UnresolvedPlace[];
  /** How many declarations of the field on the type were found (0: the type or the field is not there). */
  declarations: number;
  /** How many types of that name were found (0: the type is not declared anywhere the programs reach). */
  types: number;
}

/** A repository path for a program file name, or undefined for library and dependency files. */
export function repoPath(dir: string, fileName: string): string | undefined {
  const rel = relative(dir, fileName);
  if (!rel || rel.startsWith('..') || rel.split(sep).includes('node_modules')) return undefined;
  return rel.split(sep).join('/');
}

/** The symbols the type name stands for in one program (interfaces, aliases, classes, typedefs). */
function typeSymbols(project: TypedProject, dir: string, typeName: string): ts.Symbol[] {
  const out = new Set<ts.Symbol>();
  const { checker } = project;
  for (const sf of project.program.getSourceFiles()) {
    if (!repoPath(dir, sf.fileName) || !sf.text.includes(typeName)) continue;
    const visit = (node: ts.Node): void => {
      if (
        (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node) || ts.isClassDeclaration(node)) &&
        node.name?.text === typeName
      ) {
        const sym = checker.getSymbolAtLocation(node.name);
        if (sym) out.add(sym);
      }
      for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [])
        for (const tag of doc.tags ?? [])
          if (ts.isJSDocTypedefTag(tag) && tag.name && ts.isIdentifier(tag.name) && tag.name.text === typeName) {
            const sym = checker.getSymbolAtLocation(tag.name) ?? (tag as unknown as { symbol?: ts.Symbol }).symbol;
            if (sym) out.add(sym);
          }
      if (ts.isModuleDeclaration(node) && node.body) visit(node.body);
      if (ts.isModuleBlock(node)) node.statements.forEach(visit);
    };
    sf.statements.forEach(visit);
    visit(sf.endOfFileToken);
    visit(sf);
  }
  return [...out];
}

/** The declarations of `field` on the type a symbol declares (on the members of a union that have it). */
function fieldDeclarations(checker: ts.TypeChecker, sym: ts.Symbol, field: string): ts.Declaration[] {
  const type = checker.getDeclaredTypeOfSymbol(sym);
  const prop = checker.getPropertyOfType(type, field);
  if (prop) return prop.declarations ?? [];
  // a union type whose field only some members have (`{ ok: true } | { ok: false; reason: string }`)
  if (type.isUnion()) return type.types.flatMap((t) => checker.getPropertyOfType(t, field)?.declarations ?? []);
  return [];
}

function nameNodeOf(decl: ts.Declaration): ts.Node | undefined {
  const name = (decl as { name?: ts.Node }).name;
  if (!name) return undefined;
  if (ts.isComputedPropertyName(name)) return ts.isStringLiteralLike(name.expression) ? name.expression : undefined;
  return name;
}

function key(fileName: string, pos: number): string {
  return `${fileName}\0${pos}`;
}

/** The smallest node that starts at `pos` and spells the span (an identifier or a string literal). */
function nodeAt(sf: ts.SourceFile, pos: number): ts.Node | undefined {
  let found: ts.Node | undefined;
  const visit = (node: ts.Node): void => {
    if (pos < node.pos || pos >= node.end) return;
    if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node) || ts.isStringLiteralLike(node)) {
      const start = node.getStart(sf);
      if (start === pos || (ts.isStringLiteralLike(node) && start + 1 === pos)) found = node;
    }
    ts.forEachChild(node, visit);
    for (const doc of (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? []) visit(doc);
  };
  visit(sf);
  return found;
}

function isUnresolvedType(t: ts.Type): boolean {
  return (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

/** The property symbol the code at a name node reads, where it is a read through a value. */
function propertyRead(
  checker: ts.TypeChecker,
  node: ts.Node,
  field: string,
): { symbol?: ts.Symbol; receiver?: ts.Type; receiverNode?: ts.Node } | undefined {
  const p = node.parent;
  if (!p) return undefined;
  const prop = (t: ts.Type) => checker.getPropertyOfType(checker.getNonNullableType(t), field);
  if ((ts.isPropertyAccessExpression(p) || ts.isPropertyAccessChain(p)) && p.name === node) {
    return { symbol: checker.getSymbolAtLocation(node), receiver: checker.getTypeAtLocation(p.expression), receiverNode: p.expression };
  }
  if (ts.isElementAccessExpression(p) && p.argumentExpression === node) {
    const receiver = checker.getTypeAtLocation(p.expression);
    return { symbol: checker.getSymbolAtLocation(node) ?? prop(receiver), receiver, receiverNode: p.expression };
  }
  if (ts.isBindingElement(p) && ts.isObjectBindingPattern(p.parent) && (p.propertyName ?? p.name) === node) {
    const receiver = checker.getTypeAtLocation(p.parent);
    const holder = p.parent.parent;
    return { symbol: prop(receiver), receiver, receiverNode: ts.isVariableDeclaration(holder) ? holder.initializer : undefined };
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.left === node) {
    const receiver = checker.getTypeAtLocation(p.right);
    return { symbol: prop(receiver), receiver };
  }
  return undefined;
}

/**
 * Does an expression's value come from an import that was left unresolved on purpose (program.ts: a
 * repository file that cannot carry the record's types)? Then its `any` is not a place to check by hand.
 */
function fromCutImport(
  checker: ts.TypeChecker,
  expr: ts.Node | undefined,
  cut: ReadonlyMap<string, ReadonlySet<string>>,
  depth = 0,
): boolean {
  let e = expr;
  while (
    e &&
    (ts.isPropertyAccessExpression(e) ||
      ts.isElementAccessExpression(e) ||
      ts.isCallExpression(e) ||
      ts.isParenthesizedExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isAwaitExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isNewExpression(e))
  )
    e = e.expression;
  if (!e || !ts.isIdentifier(e)) return false;
  const decl = checker.getSymbolAtLocation(e)?.declarations?.[0];
  if (!decl) return false;
  if (ts.isVariableDeclaration(decl) && decl.initializer && depth < 3) return fromCutImport(checker, decl.initializer, cut, depth + 1);
  let imp: ts.Node = decl;
  while (imp && !ts.isImportDeclaration(imp) && !ts.isSourceFile(imp)) imp = imp.parent;
  if (!ts.isImportDeclaration(imp) || !ts.isStringLiteral(imp.moduleSpecifier)) return false;
  return cut.get(imp.getSourceFile().fileName)?.has(imp.moduleSpecifier.text) ?? false;
}

function isAssignmentTarget(node: ts.Node): boolean {
  let n = node;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  const p = n.parent;
  return ts.isBinaryExpression(p) &&
    p.left === n &&
    p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment &&
    p.operatorToken.kind <= ts.SyntaxKind.LastAssignment
    ? p.operatorToken.kind === ts.SyntaxKind.EqualsToken
    : false;
}

/** Does the code read the field at this name node (as opposed to declaring it or building a record)? */
function isRead(node: ts.Node): boolean {
  const p = node.parent;
  if (!p) return false;
  if ((ts.isPropertyAccessExpression(p) && p.name === node) || (ts.isElementAccessExpression(p) && p.argumentExpression === node))
    return !isAssignmentTarget(p);
  if (ts.isBindingElement(p)) return true;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword) return true;
  if (ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p)) {
    // `({ f } = e)`: a destructuring assignment reads the field
    let up: ts.Node = p.parent;
    while (
      ts.isObjectLiteralExpression(up) ||
      ts.isArrayLiteralExpression(up) ||
      ts.isPropertyAssignment(up) ||
      ts.isParenthesizedExpression(up)
    )
      up = up.parent;
    return ts.isBinaryExpression(up) && up.operatorToken.kind === ts.SyntaxKind.EqualsToken;
  }
  if (ts.isStringLiteral(node) && !ts.isLiteralTypeNode(p)) return true; // a key literal used as a value (`get(e, 'f')`)
  return false;
}

/** The references to `field` of the record type `typeName` over every project of `typed`. */
export function fieldReferences(
  typed: TypedFiles,
  query: { typeName: string; field: string; candidates: ReadonlySet<string>; reportUnresolvedIn?: ReadonlySet<string> },
): FieldReferenceSet {
  const { dir } = typed;
  const { field } = query;
  const locations = new Map<string, RenameLocation>();
  const unresolved = new Map<string, UnresolvedPlace>();
  let declarations = 0;
  let types = 0;
  for (const project of typed.projects) {
    const { checker, program, service } = project;
    const family = new Set<ts.Declaration>();
    const symbols = typeSymbols(project, dir, query.typeName);
    types += symbols.length;
    for (const sym of symbols) for (const d of fieldDeclarations(checker, sym, field)) family.add(d);
    declarations += family.size;
    if (family.size === 0) continue;
    const found = new Map<string, ts.RenameLocation>();
    for (const d of family) {
      const name = nameNodeOf(d);
      if (!name) continue;
      const sf = d.getSourceFile();
      const locs =
        service.findRenameLocations(sf.fileName, name.getStart(sf) + (ts.isStringLiteralLike(name) ? 1 : 0), false, false, {
          providePrefixAndSuffixTextForRename: true,
        }) ?? [];
      for (const l of locs) found.set(key(l.fileName, l.textSpan.start), l);
    }
    // Declarations among the locations (members of the family TypeScript adds: base interfaces, subtypes, implementations).
    const familyDecls = new Set<ts.Node>([...family]);
    for (const l of found.values()) {
      const sf = program.getSourceFile(l.fileName);
      const node = sf && nodeAt(sf, l.textSpan.start);
      if (node?.parent && isMemberDeclaration(node.parent) && (node.parent as ts.NamedDeclaration).name === node)
        familyDecls.add(node.parent);
      if (node?.parent && ts.isComputedPropertyName(node.parent) && isMemberDeclaration(node.parent.parent))
        familyDecls.add(node.parent.parent);
    }
    const inFamily = (s: ts.Symbol | undefined): 'yes' | 'no' | 'mixed' => {
      const decls = s?.declarations ?? [];
      const mine = decls.filter((d) => familyDecls.has(d)).length;
      return decls.length === 0 || mine === 0 ? 'no' : mine === decls.length ? 'yes' : 'mixed';
    };
    for (const l of found.values()) {
      const path = repoPath(dir, l.fileName);
      const sf = program.getSourceFile(l.fileName);
      if (!path || !sf) continue;
      const node = nodeAt(sf, l.textSpan.start);
      if (!node) continue;
      const read = propertyRead(checker, node, field);
      if (read && inFamily(read.symbol) === 'mixed') {
        unresolved.set(key(l.fileName, l.textSpan.start), {
          path,
          node,
          why: 'the value may be the record or another type with the same field (a union); left unchanged',
        });
        continue;
      }
      locations.set(key(l.fileName, l.textSpan.start), {
        path,
        start: l.textSpan.start,
        end: l.textSpan.start + l.textSpan.length,
        prefixText: l.prefixText ?? '',
        suffixText: l.suffixText ?? '',
        node,
        read: isRead(node),
      });
    }
    // Key literals TypeScript leaves stale, and what cannot be resolved, in the candidate files.
    for (const path of project.roots) {
      if (!query.candidates.has(path)) continue;
      const sf = typed.sourceFile(path);
      if (!sf || !sf.text.includes(field)) continue;
      // Only the subtrees that spell the field somewhere are walked.
      const spots: number[] = [];
      for (let i = sf.text.indexOf(field); i !== -1; i = sf.text.indexOf(field, i + 1)) spots.push(i);
      const spells = (node: ts.Node): boolean => {
        let lo = 0;
        let hi = spots.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (spots[mid]! < node.pos) lo = mid + 1;
          else hi = mid;
        }
        return lo < spots.length && spots[lo]! < node.end;
      };
      const visit = (node: ts.Node): void => {
        if (!spells(node)) return;
        if (ts.isStringLiteralLike(node) && node.text === field) {
          const k = key(sf.fileName, node.getStart(sf) + 1);
          if (!locations.has(k) && !unresolved.has(k) && keyNamesFamily(checker, node, field, inFamily)) {
            locations.set(k, {
              path,
              start: node.getStart(sf) + 1,
              end: node.end - 1,
              prefixText: '',
              suffixText: '',
              node,
              read: isRead(node),
            });
          }
        }
        if (
          query.reportUnresolvedIn?.has(path) &&
          (ts.isIdentifier(node) || ts.isStringLiteralLike(node)) &&
          node.text === field &&
          !locations.has(key(sf.fileName, node.getStart(sf))) &&
          !locations.has(key(sf.fileName, node.getStart(sf) + 1))
        ) {
          const read = propertyRead(checker, node, field);
          if (
            read &&
            !read.symbol &&
            read.receiver &&
            isUnresolvedType(read.receiver) &&
            !fromCutImport(checker, read.receiverNode, typed.cutImports)
          )
            unresolved.set(key(sf.fileName, node.getStart(sf)), {
              path,
              node,
              why: 'the type of the value could not be resolved (any); left unchanged',
            });
          else if (read && inFamily(read.symbol) === 'mixed')
            unresolved.set(key(sf.fileName, node.getStart(sf)), {
              path,
              node,
              why: 'the value may be the record or another type with the same field (a union); left unchanged',
            });
        }
        ts.forEachChild(node, visit);
      };
      visit(sf);
    }
  }
  const byPos = (a: { path: string; node: ts.Node }, b: { path: string; node: ts.Node }) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : a.node.pos - b.node.pos;
  return {
    locations: [...locations.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.start - b.start)),
    unresolved: [...unresolved.values()].sort(byPos),
    declarations,
    types,
  };
}

function isMemberDeclaration(n: ts.Node): boolean {
  return (
    ts.isPropertySignature(n) ||
    ts.isPropertyDeclaration(n) ||
    ts.isMethodSignature(n) ||
    ts.isMethodDeclaration(n) ||
    ts.isGetAccessorDeclaration(n) ||
    ts.isSetAccessorDeclaration(n) ||
    ts.isPropertyAssignment(n) ||
    ts.isShorthandPropertyAssignment(n) ||
    ts.isJSDocPropertyTag(n) ||
    ts.isParameter(n) // constructor parameter properties
  );
}

/**
 * Is this string literal a key of a member of the family? `T['f']`, `Pick<T, 'f'>`, `Omit<T, 'f'>`
 * (any type reference whose other type argument has the member), `'f' in t`, a value typed `keyof T`.
 */
function keyNamesFamily(
  checker: ts.TypeChecker,
  lit: ts.StringLiteralLike,
  field: string,
  inFamily: (s: ts.Symbol | undefined) => 'yes' | 'no' | 'mixed',
): boolean {
  const propOf = (t: ts.Type) => checker.getPropertyOfType(checker.getNonNullableType(t), field);
  const p = lit.parent;
  if (ts.isLiteralTypeNode(p)) {
    let up: ts.Node = p.parent;
    let inside: ts.Node = p;
    while (ts.isUnionTypeNode(up) || ts.isParenthesizedTypeNode(up)) {
      inside = up;
      up = up.parent;
    }
    if (ts.isIndexedAccessTypeNode(up))
      return up.indexType === inside && inFamily(propOf(checker.getTypeFromTypeNode(up.objectType))) === 'yes';
    if (ts.isTypeReferenceNode(up) || ts.isExpressionWithTypeArguments(up))
      return (up.typeArguments ?? []).some((arg) => arg !== inside && inFamily(propOf(checker.getTypeFromTypeNode(arg))) === 'yes');
    return false;
  }
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.left === lit)
    return inFamily(propOf(checker.getTypeAtLocation(p.right))) === 'yes';
  if (ts.isElementAccessExpression(p) && p.argumentExpression === lit)
    return inFamily(checker.getSymbolAtLocation(lit) ?? propOf(checker.getTypeAtLocation(p.expression))) === 'yes';
  if (
    ts.isImportDeclaration(p) ||
    ts.isExportDeclaration(p) ||
    ts.isExternalModuleReference(p) ||
    ts.isPropertyAssignment(p) ||
    ts.isComputedPropertyName(p)
  )
    return false;
  return keyofTargets(checker, lit).some((t) => inFamily(propOf(t)) === 'yes');
}

/** The types `T` whose `keyof T` a string literal used as a value is typed by (`const k: keyof T = 'f'`, `get(e, 'f')`). */
function keyofTargets(checker: ts.TypeChecker, lit: ts.StringLiteralLike): ts.Type[] {
  const out: ts.Type[] = [];
  let ctx = checker.getContextualType(lit);
  if (ctx && ctx.flags & ts.TypeFlags.TypeParameter) ctx = checker.getBaseConstraintOfType(ctx) ?? ctx;
  const origin = ctx && ((ctx as ts.Type & { origin?: ts.Type }).origin ?? ctx);
  for (const t of origin ? (origin.isUnion() ? origin.types : [origin]) : [])
    if (t.flags & ts.TypeFlags.Index) out.push((t as ts.IndexType).type);
  if (out.length) return out;
  // keyof of an intersection or a mapped type is resolved eagerly and keeps no origin: read the annotation.
  const keyofOf = (node: ts.TypeNode | undefined): void => {
    while (node && ts.isParenthesizedTypeNode(node)) node = node.type;
    if (!node) return;
    if (ts.isTypeOperatorNode(node) && node.operator === ts.SyntaxKind.KeyOfKeyword) out.push(checker.getTypeFromTypeNode(node.type));
    else if (ts.isUnionTypeNode(node)) node.types.forEach(keyofOf);
    else if (ts.isTypeReferenceNode(node)) {
      const decl = checker.getSymbolAtLocation(node.typeName)?.declarations?.[0];
      if (decl && ts.isTypeParameterDeclaration(decl)) keyofOf(decl.constraint);
    }
  };
  const p = lit.parent;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isPropertyDeclaration(p)) && p.initializer === lit) keyofOf(p.type);
  else if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(lit as ts.Expression)) {
    const decl = checker.getResolvedSignature(p)?.declaration;
    const param = decl && !ts.isJSDocSignature(decl) ? decl.parameters[p.arguments.indexOf(lit as ts.Expression)] : undefined;
    keyofOf(param?.type);
  }
  return out;
}
