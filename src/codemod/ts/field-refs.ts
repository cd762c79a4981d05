/**
 * Where a file names a field of a record type (e.g. `PlayEvent.user_id`), found through the type
 * checker, so that the same name on another type, a shadowing variable, a comment or an unrelated
 * string is never taken for it. Used by `renameField` (to rename) and impact analysis (to list reads).
 */
import { ts } from 'ts-morph';
import { typedFilesOfChecker, type TypedFiles } from './program.js';
import { fieldReferences, repoPath, type FieldReferenceSet } from './rename-set.js';

export type FieldRefKind =
  | 'access' // e.user_id, e?.user_id
  | 'element' // e['user_id']
  | 'in' // 'user_id' in e
  | 'binding' // const { user_id } = e  /  { user_id: x }
  | 'objectKey' // const e: PlayEvent = { user_id: 1 }
  | 'member' // interface PlayEvent { user_id: string }
  | 'jsxAttribute' // <View user_id={…} /> where the props are the record
  | 'keyLiteral'; // Pick<PlayEvent, 'user_id'>, PlayEvent['user_id'], k: keyof PlayEvent = 'user_id'

export interface FieldRef {
  kind: FieldRefKind;
  field: string;
  /** The node that spells the field: an identifier or a string literal. */
  nameNode: ts.Node;
  /** Shorthand `{ user_id }` (object literal or destructuring): a rename must keep the local name. */
  shorthand: boolean;
  /** True when the code reads the field's value (impact analysis), false for declarations and writes of keys. */
  read: boolean;
}

export interface UnresolvedRef {
  field: string;
  node: ts.Node;
  why: string;
}

export interface FieldQuery {
  /** Names of the record type (interface, type alias, class or JSDoc typedef). */
  typeNames: ReadonlySet<string>;
  /** Which field names to look for. */
  wants(field: string): boolean;
  /** Also report accesses of wanted names on `any`/unresolved receivers. */
  reportUnresolved: boolean;
  /**
   * Also report reads of wanted names that the record type does not declare (impact analysis after a
   * rule such as `schemaTypes` regenerated the type without a dropped field: `e.legacy_flag` on a
   * `PlayEvent` that no longer has it is still a read of that field).
   */
  missingOnRecord?: boolean;
}

/** Is this declaration a member of one of the record types? */
function isRecordMember(decl: ts.Declaration, typeNames: ReadonlySet<string>): boolean {
  let parent: ts.Node | undefined = decl.parent;
  if (ts.isJSDocPropertyTag(decl)) {
    while (parent && !ts.isJSDocTypedefTag(parent)) parent = parent.parent;
    const name = parent && ts.isJSDocTypedefTag(parent) ? parent.name : undefined;
    return !!name && ts.isIdentifier(name) && typeNames.has(name.text);
  }
  if (!parent) return false;
  if (ts.isInterfaceDeclaration(parent) || ts.isClassDeclaration(parent)) return !!parent.name && typeNames.has(parent.name.text);
  if (ts.isTypeLiteralNode(parent)) {
    // `type T = { f }`, `A & { f }`, `Readonly<{ f }>`, `A & Readonly<{ f }>`
    let up: ts.Node = parent.parent;
    while (
      ts.isParenthesizedTypeNode(up) ||
      ts.isIntersectionTypeNode(up) ||
      ts.isUnionTypeNode(up) ||
      ts.isTypeReferenceNode(up) ||
      (ts.isTypeOperatorNode(up) && up.operator === ts.SyntaxKind.ReadonlyKeyword)
    )
      up = up.parent;
    return ts.isTypeAliasDeclaration(up) && typeNames.has(up.name.text);
  }
  return false;
}

/** 'yes' when every declaration of the property belongs to a record type, 'mixed' when only some do. */
export function classifyProperty(symbol: ts.Symbol | undefined, typeNames: ReadonlySet<string>): 'yes' | 'no' | 'mixed' {
  const decls = symbol?.declarations ?? [];
  if (decls.length === 0) return 'no';
  const mine = decls.filter((d) => isRecordMember(d, typeNames)).length;
  return mine === 0 ? 'no' : mine === decls.length ? 'yes' : 'mixed';
}

function isUnresolvedType(t: ts.Type): boolean {
  return (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
}

function propertyOf(checker: ts.TypeChecker, type: ts.Type | undefined, name: string): ts.Symbol | undefined {
  if (!type) return undefined;
  const t = checker.getNonNullableType(type);
  return checker.getPropertyOfType(t, name) ?? (t.isUnion() ? unionMemberProperty(checker, t, name) : undefined);
}

/** For a union where only some members have the property (`PlayEvent | Error`), the members' own symbol. */
function unionMemberProperty(checker: ts.TypeChecker, t: ts.UnionType, name: string): ts.Symbol | undefined {
  const props = t.types.map((m) => checker.getPropertyOfType(m, name)).filter((p): p is ts.Symbol => !!p);
  return props.length === 1 ? props[0] : undefined;
}

function stringText(node: ts.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/** Does a literal in a type reference's type arguments name a key of the record (Pick<PlayEvent, 'k'>)? */
function literalTypeNamesRecordKey(checker: ts.TypeChecker, lit: ts.LiteralTypeNode, typeNames: ReadonlySet<string>): boolean {
  let up: ts.Node = lit.parent;
  while (ts.isUnionTypeNode(up) || ts.isParenthesizedTypeNode(up)) up = up.parent;
  if (ts.isIndexedAccessTypeNode(up) && up.indexType !== lit && !isWithin(lit, up.indexType)) return false;
  if (ts.isIndexedAccessTypeNode(up)) return typeIsRecord(checker, checker.getTypeFromTypeNode(up.objectType), typeNames);
  if (ts.isTypeReferenceNode(up) || ts.isExpressionWithTypeArguments(up)) {
    return (up.typeArguments ?? []).some(
      (arg) => !isWithin(lit, arg) && typeIsRecord(checker, checker.getTypeFromTypeNode(arg), typeNames),
    );
  }
  return false;
}

function isWithin(node: ts.Node, container: ts.Node): boolean {
  return node.pos >= container.pos && node.end <= container.end;
}

export function typeIsRecord(checker: ts.TypeChecker, type: ts.Type, typeNames: ReadonlySet<string>): boolean {
  const t = checker.getNonNullableType(type);
  const sym = t.aliasSymbol ?? t.getSymbol();
  if (sym && typeNames.has(sym.getName())) return true;
  if (t.isUnionOrIntersection()) return t.types.some((m) => typeIsRecord(checker, m, typeNames));
  return false;
}

/** Is a string literal's contextual type `keyof <record>` (a union built from keyof keeps its origin)? */
function contextIsKeyofRecord(checker: ts.TypeChecker, lit: ts.Expression, typeNames: ReadonlySet<string>): boolean {
  let ctx = checker.getContextualType(lit);
  if (!ctx) return false;
  if (ctx.flags & ts.TypeFlags.TypeParameter) ctx = checker.getBaseConstraintOfType(ctx) ?? ctx;
  const origin = (ctx as ts.Type & { origin?: ts.Type }).origin ?? ctx;
  if (origin.flags & ts.TypeFlags.Index) return typeIsRecord(checker, (origin as ts.IndexType).type, typeNames);
  return false;
}

const referenceCache = new WeakMap<TypedFiles, Map<string, FieldReferenceSet>>();

/** TypeScript's reference set of `typeName.field` over a typed session (rename-set.ts), once per session. */
function referencesOf(typed: TypedFiles, typeName: string, field: string): FieldReferenceSet {
  let cache = referenceCache.get(typed);
  if (!cache) referenceCache.set(typed, (cache = new Map()));
  const key = `${typeName}\0${field}`;
  let set = cache.get(key);
  if (!set) {
    const roots = new Set(typed.projects.flatMap((p) => p.roots));
    cache.set(key, (set = fieldReferences(typed, { typeName, field, candidates: roots })));
  }
  return set;
}

function kindOf(node: ts.Node): FieldRefKind {
  const p = node.parent;
  if (ts.isPropertyAccessExpression(p)) return 'access';
  if (ts.isElementAccessExpression(p)) return 'element';
  if (ts.isBinaryExpression(p)) return 'in';
  if (ts.isBindingElement(p)) return 'binding';
  if (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) return 'objectKey';
  if (ts.isJsxAttribute(p)) return 'jsxAttribute';
  if (ts.isStringLiteralLike(node)) return 'keyLiteral';
  return 'member';
}

/**
 * Finds the references to wanted fields of the record types in one file: the syntactic walk below and,
 * when the checker comes from `buildTypedFiles`, TypeScript's own reference set of each wanted field
 * on each record type (declarations in type literals inside type references, redeclaring families,
 * files of other projects), so impact analysis sees every read the rename would change.
 */
export function findFieldRefs(
  sf: ts.SourceFile,
  fileChecker: ts.TypeChecker,
  q: FieldQuery,
): { refs: FieldRef[]; unresolved: UnresolvedRef[] } {
  const typed = typedFilesOfChecker(fileChecker);
  const path = typed && repoPath(typed.dir, sf.fileName);
  // the checker of the project this file was analysed in (a repository may have several)
  const checker = (path && typed?.projectOf(path)?.checker) || fileChecker;
  const { refs, unresolved } = walkFieldRefs(sf, checker, q);
  if (!typed || !path) return { refs, unresolved };
  const seen = new Set(refs.map((r) => r.nameNode.getStart(sf)));
  const fields = new Set<string>();
  const collect = (node: ts.Node): void => {
    if ((ts.isIdentifier(node) || ts.isStringLiteralLike(node)) && q.wants(node.text)) fields.add(node.text);
    ts.forEachChild(node, collect);
  };
  collect(sf);
  for (const field of [...fields].sort())
    for (const typeName of [...q.typeNames].sort())
      for (const loc of referencesOf(typed, typeName, field).locations) {
        if (loc.path !== path || loc.node.getSourceFile() !== sf || seen.has(loc.node.getStart(sf))) continue;
        seen.add(loc.node.getStart(sf));
        refs.push({ kind: kindOf(loc.node), field, nameNode: loc.node, shorthand: loc.suffixText !== '', read: loc.read });
      }
  return { refs, unresolved: unresolved.filter((u) => !seen.has(u.node.getStart(sf)) || !refs.some((r) => r.nameNode === u.node)) };
}

function walkFieldRefs(sf: ts.SourceFile, checker: ts.TypeChecker, q: FieldQuery): { refs: FieldRef[]; unresolved: UnresolvedRef[] } {
  const refs: FieldRef[] = [];
  const unresolved: UnresolvedRef[] = [];
  const add = (
    kind: FieldRefKind,
    field: string,
    nameNode: ts.Node,
    symbol: ts.Symbol | undefined,
    opts: { shorthand?: boolean; read?: boolean; receiver?: ts.Expression; receiverType?: ts.Type } = {},
  ) => {
    const c = classifyProperty(symbol, q.typeNames);
    const receiverType = opts.receiverType ?? (opts.receiver ? checker.getTypeAtLocation(opts.receiver) : undefined);
    if (c === 'yes') refs.push({ kind, field, nameNode, shorthand: opts.shorthand ?? false, read: opts.read ?? false });
    else if (q.missingOnRecord && !symbol && opts.read && receiverType && typeIsRecord(checker, receiverType, q.typeNames)) {
      refs.push({ kind, field, nameNode, shorthand: opts.shorthand ?? false, read: true });
    } else if (q.reportUnresolved && c === 'mixed')
      unresolved.push({
        field,
        node: nameNode,
        why: 'the value may be the record or another type with the same field (a union); left unchanged',
      });
    else if (q.reportUnresolved && c === 'no' && !symbol && opts.receiver && isUnresolvedType(checker.getTypeAtLocation(opts.receiver))) {
      unresolved.push({ field, node: nameNode, why: 'the type of the value could not be resolved (any); left unchanged' });
    }
  };

  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.name) && q.wants(node.name.text)) {
      add('access', node.name.text, node.name, checker.getSymbolAtLocation(node.name), {
        read: !isAssignmentTarget(node),
        receiver: node.expression,
      });
    } else if (ts.isElementAccessExpression(node)) {
      const key = stringText(node.argumentExpression);
      if (key !== undefined && q.wants(key)) {
        add(
          'element',
          key,
          node.argumentExpression,
          checker.getSymbolAtLocation(node.argumentExpression) ?? propertyOf(checker, checker.getTypeAtLocation(node.expression), key),
          {
            read: !isAssignmentTarget(node),
            receiver: node.expression,
          },
        );
      }
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.InKeyword) {
      const key = stringText(node.left);
      if (key !== undefined && q.wants(key))
        add('in', key, node.left, propertyOf(checker, checker.getTypeAtLocation(node.right), key), {
          read: true,
          receiverType: checker.getTypeAtLocation(node.right),
        });
    } else if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent) && !node.dotDotDotToken) {
      const keyNode = node.propertyName ?? node.name;
      const key = ts.isIdentifier(keyNode) || ts.isStringLiteral(keyNode) ? keyNode.text : undefined;
      if (key !== undefined && q.wants(key)) {
        const patternType = checker.getTypeAtLocation(node.parent);
        add('binding', key, keyNode, propertyOf(checker, patternType, key), {
          shorthand: !node.propertyName,
          read: true,
          receiverType: patternType,
        });
      }
    } else if (
      (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node) || ts.isMethodDeclaration(node)) &&
      ts.isObjectLiteralExpression(node.parent)
    ) {
      const nameNode = ts.isComputedPropertyName(node.name) ? node.name.expression : node.name;
      const key = ts.isIdentifier(nameNode) ? nameNode.text : stringText(nameNode);
      if (key !== undefined && q.wants(key)) {
        add('objectKey', key, nameNode, propertyOf(checker, checker.getContextualType(node.parent), key), {
          shorthand: ts.isShorthandPropertyAssignment(node),
        });
      }
    } else if ((ts.isPropertySignature(node) || ts.isPropertyDeclaration(node)) && node.name) {
      const key = ts.isIdentifier(node.name) ? node.name.text : stringText(node.name);
      if (key !== undefined && q.wants(key) && isRecordMember(node, q.typeNames))
        refs.push({ kind: 'member', field: key, nameNode: node.name, shorthand: false, read: false });
    } else if (ts.isJSDocPropertyTag(node) && ts.isIdentifier(node.name) && q.wants(node.name.text) && isRecordMember(node, q.typeNames)) {
      refs.push({ kind: 'member', field: node.name.text, nameNode: node.name, shorthand: false, read: false });
    } else if (ts.isJsxAttribute(node) && ts.isIdentifier(node.name) && q.wants(node.name.text)) {
      add('jsxAttribute', node.name.text, node.name, propertyOf(checker, checker.getContextualType(node.parent), node.name.text));
    } else if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) && q.wants(node.literal.text)) {
      if (literalTypeNamesRecordKey(checker, node, q.typeNames))
        refs.push({ kind: 'keyLiteral', field: node.literal.text, nameNode: node.literal, shorthand: false, read: false });
    } else if (
      ts.isStringLiteral(node) &&
      q.wants(node.text) &&
      isPlainExpressionLiteral(node) &&
      contextIsKeyofRecord(checker, node, q.typeNames)
    ) {
      refs.push({ kind: 'keyLiteral', field: node.text, nameNode: node, shorthand: false, read: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { refs, unresolved };
}

/** A string literal used as a value (an argument, an initializer), not a key or a module name. */
function isPlainExpressionLiteral(node: ts.StringLiteral): boolean {
  const p = node.parent;
  if (ts.isElementAccessExpression(p) && p.argumentExpression === node) return false;
  if (ts.isPropertyAssignment(p) && p.name === node) return false;
  if (ts.isComputedPropertyName(p) || ts.isLiteralTypeNode(p)) return false;
  if (ts.isImportDeclaration(p) || ts.isExportDeclaration(p) || ts.isExternalModuleReference(p) || ts.isImportTypeNode(p)) return false;
  if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.left === node) return false;
  return true;
}

function isAssignmentTarget(node: ts.Expression): boolean {
  const p = node.parent;
  return ts.isBinaryExpression(p) && p.left === node && p.operatorToken.kind === ts.SyntaxKind.EqualsToken;
}
