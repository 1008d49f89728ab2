/**
 * Import and `process` usage extraction for the architecture test. It uses the TypeScript parser, not
 * regular expressions, so that an import-looking line inside a comment or a string (common in a code base
 * that quotes malware) is not counted, and multi-line import lists report the line of their `import`.
 */
import ts from 'typescript';

/** One source file of the tree under check; `path` is repo-relative with `/` separators (`src/core/x.ts`). */
export interface SourceFile {
  path: string;
  text: string;
}

export type ImportKind = 'import' | 'export' | 'dynamic' | 'require' | 'import-type';

export interface ImportRef {
  specifier: string;
  line: number;
  kind: ImportKind;
  /** True when nothing of the import survives compilation (`import type`, `export type`, `import('x').T`). */
  isTypeOnly: boolean;
  /** Names imported from the module (`default`, `*` or the exported name); empty when unknown. */
  names: string[];
}

export interface ProcessAccess {
  line: number;
  /** `env` or `argv` */
  property: string;
}

const PROCESS_PROPERTIES = new Set(['env', 'argv']);

function scriptKind(path: string): ts.ScriptKind {
  return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function parse(file: SourceFile): ts.SourceFile {
  return ts.createSourceFile(
    file.path,
    file.text,
    ts.ScriptTarget.Latest,
    true,
    scriptKind(file.path),
  );
}

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function literalText(node: ts.Node | undefined): string | undefined {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)))
    return node.text;
  return undefined;
}

function importClauseInfo(clause: ts.ImportClause | undefined): {
  names: string[];
  typeOnly: boolean;
} {
  if (!clause) return { names: [], typeOnly: false }; // `import './side-effect.js'`
  const names: string[] = [];
  let allTypes = true;
  if (clause.name) {
    names.push('default');
    allTypes = false;
  }
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) {
    names.push('*');
    allTypes = false;
  } else if (bindings) {
    for (const element of bindings.elements) {
      names.push((element.propertyName ?? element.name).text);
      if (!element.isTypeOnly) allTypes = false;
    }
  }
  // `import { type A, type B } from` is erased like `import type`; `import {} from` is not.
  return { names, typeOnly: clause.isTypeOnly || (allTypes && names.length > 0) };
}

function exportInfo(node: ts.ExportDeclaration): { names: string[]; typeOnly: boolean } {
  const clause = node.exportClause;
  if (!clause) return { names: ['*'], typeOnly: node.isTypeOnly };
  if (ts.isNamespaceExport(clause)) return { names: ['*'], typeOnly: node.isTypeOnly };
  const names = clause.elements.map((e) => (e.propertyName ?? e.name).text);
  const allTypes = clause.elements.length > 0 && clause.elements.every((e) => e.isTypeOnly);
  return { names, typeOnly: node.isTypeOnly || allTypes };
}

function refFromNode(sf: ts.SourceFile, node: ts.Node): ImportRef | undefined {
  const line = lineOf(sf, node);
  if (ts.isImportDeclaration(node)) {
    const specifier = literalText(node.moduleSpecifier);
    if (specifier === undefined) return undefined;
    const { names, typeOnly } = importClauseInfo(node.importClause);
    return { specifier, line, kind: 'import', isTypeOnly: typeOnly, names };
  }
  if (ts.isExportDeclaration(node)) {
    const specifier = literalText(node.moduleSpecifier);
    if (specifier === undefined) return undefined; // `export { a }` without `from`
    const { names, typeOnly } = exportInfo(node);
    return { specifier, line, kind: 'export', isTypeOnly: typeOnly, names };
  }
  if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
    const specifier = literalText(node.moduleReference.expression);
    if (specifier === undefined) return undefined;
    return { specifier, line, kind: 'require', isTypeOnly: node.isTypeOnly, names: ['*'] };
  }
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
    const specifier = literalText(node.argument.literal);
    if (specifier === undefined) return undefined;
    return { specifier, line, kind: 'import-type', isTypeOnly: true, names: [] };
  }
  if (ts.isCallExpression(node)) {
    const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
    const specifier = literalText(node.arguments[0]);
    if ((!isDynamicImport && !isRequire) || specifier === undefined) return undefined;
    const kind = isDynamicImport ? 'dynamic' : 'require';
    return { specifier, line, kind, isTypeOnly: false, names: ['*'] };
  }
  return undefined;
}

/** Every static, re-export, dynamic, `require` and type-position import of a file, in source order. */
export function parseImports(file: SourceFile): ImportRef[] {
  const sf = parse(file);
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    const ref = refFromNode(sf, node);
    if (ref) refs.push(ref);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

function isProcessIdentifier(node: ts.Expression): boolean {
  if (ts.isIdentifier(node)) return node.text === 'process';
  // globalThis.process.env
  return (
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'process' &&
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'globalThis'
  );
}

function processAccessOf(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node) && isProcessIdentifier(node.expression)) {
    return PROCESS_PROPERTIES.has(node.name.text) ? node.name.text : undefined;
  }
  if (ts.isElementAccessExpression(node) && isProcessIdentifier(node.expression)) {
    const key = literalText(node.argumentExpression);
    return key !== undefined && PROCESS_PROPERTIES.has(key) ? key : undefined;
  }
  // const { env } = process
  if (
    ts.isVariableDeclaration(node) &&
    ts.isObjectBindingPattern(node.name) &&
    node.initializer &&
    isProcessIdentifier(node.initializer)
  ) {
    for (const element of node.name.elements) {
      const key = element.propertyName ?? element.name;
      if (ts.isIdentifier(key) && PROCESS_PROPERTIES.has(key.text)) return key.text;
    }
  }
  return undefined;
}

/** Reads of `process.env` / `process.argv` (also `process['env']`, `const { env } = process`). */
export function findProcessAccess(file: SourceFile): ProcessAccess[] {
  const sf = parse(file);
  const found: ProcessAccess[] = [];
  const visit = (node: ts.Node): void => {
    const property = processAccessOf(node);
    if (property) found.push({ line: lineOf(sf, node), property });
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}
