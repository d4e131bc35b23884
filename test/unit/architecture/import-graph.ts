import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/** One import or re-export of a source file, with the file it resolves to (relative to the repository). */
export interface ImportEdge {
  /** Importing file, e.g. `src/domain/ingest/aggregate.ts`. */
  readonly from: string;
  /** Imported file, e.g. `src/ports/stores.ts`; undefined for a package (`zod`, `node:fs`). */
  readonly to: string | undefined;
  readonly specifier: string;
  /** Erased at compile time (`import type`, or every named binding marked `type`): no runtime dependency. */
  readonly typeOnly: boolean;
  /** Names imported or re-exported by name (`import { a, type B }` gives `a`, `B`). */
  readonly names: readonly string[];
}

const ROOT = resolve(import.meta.dirname, '../../..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

function repoPath(abs: string): string {
  return relative(ROOT, abs).split(sep).join('/');
}

/** `./x.js` from `src/a/b.ts` is `src/a/x.ts` (ESM specifiers name the emitted file). */
function resolveSpecifier(fromAbs: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return repoPath(resolve(dirname(fromAbs), specifier).replace(/\.js$/, '.ts'));
}

function namedAllTypes(bindings: ts.NamedImportBindings | ts.NamedExportBindings | undefined): boolean {
  if (!bindings) return false;
  if (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))
    return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
  return false;
}

function namesOf(bindings: ts.NamedImportBindings | ts.NamedExportBindings | undefined): string[] {
  if (!bindings || !(ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) return [];
  return bindings.elements.map((e) => (e.propertyName ?? e.name).text);
}

function edgesOf(abs: string): ImportEdge[] {
  const source = ts.createSourceFile(abs, readFileSync(abs, 'utf8'), ts.ScriptTarget.Latest, false);
  const from = repoPath(abs);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean, names: string[] = []) =>
    edges.push({ from, to: resolveSpecifier(abs, specifier), specifier, typeOnly, names });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      // A bare `import './x.js'` runs the module: a runtime dependency.
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (clause.name === undefined && namedAllTypes(clause.namedBindings)));
      add(node.moduleSpecifier.text, typeOnly, namesOf(clause?.namedBindings));
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(
        node.moduleSpecifier.text,
        node.isTypeOnly || namedAllTypes(node.exportClause),
        namesOf(node.exportClause),
      );
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Every import and re-export of every `.ts` file under `src/`. */
export function sourceImports(): ImportEdge[] {
  return tsFiles(join(ROOT, 'src')).flatMap(edgesOf);
}

/** `src/services/forecast/x.ts` -> `forecast`; undefined outside `src/services/<folder>/`. */
export function serviceFolderOf(path: string): string | undefined {
  const m = /^src\/services\/([^/]+)\//.exec(path);
  return m?.[1];
}
