// Code a reader can hold in their head (STYLE.md): no module over ~300 lines and no function over
// ~60, unless the function is a flat table or switch (one `switch`, or one object or array
// literal, after at most a few lines of set-up). Measured with the TypeScript parser over the
// shipped code (src/, components/, bin/) and the scripts; a function's lines include what it nests.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODULE_LINES = 300;
const FUNCTION_LINES = 60;

function sources(): string[] {
  return ['src', 'components', 'bin', 'scripts'].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(tsx?|m?js)$/.test(name))
      .map((name) => join(ROOT, dir, name)),
  );
}

function lineCount(text: string): number {
  return text.endsWith('\n') ? text.split('\n').length - 1 : text.split('\n').length;
}

/** A body that is a flat table or switch: its last statement a switch, or a return of a literal, after at most three statements. */
function isFlat(body: ts.ConciseBody): boolean {
  if (!ts.isBlock(body)) return ts.isObjectLiteralExpression(body) || ts.isArrayLiteralExpression(body) || ts.isParenthesizedExpression(body);
  const statements = body.statements;
  const last = statements[statements.length - 1];
  if (!last || statements.length > 4) return false;
  if (ts.isSwitchStatement(last)) return true;
  const value = ts.isReturnStatement(last) ? last.expression : undefined;
  return value !== undefined && (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value));
}

function functionName(node: ts.FunctionLikeDeclaration): string {
  if (node.name) return node.name.getText();
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText();
  return '(anonymous)';
}

/** Every function longer than the limit that is not a flat table or switch, as `path:line name (N lines)`. */
function longFunctions(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const declaration = node as ts.FunctionLikeDeclaration & { body: ts.ConciseBody };
      const first = source.getLineAndCharacterOfPosition(declaration.getStart()).line;
      const lines = source.getLineAndCharacterOfPosition(declaration.end).line - first + 1;
      if (lines > FUNCTION_LINES && !isFlat(declaration.body)) found.push(`${relative(ROOT, file)}:${first + 1} ${functionName(declaration)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code size', () => {
  const files = sources();

  it('finds the code it measures', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it(`has no module over ${MODULE_LINES} lines`, () => {
    const long = files.map((file) => ({ file: relative(ROOT, file), lines: lineCount(readFileSync(file, 'utf8')) })).filter(({ lines }) => lines > MODULE_LINES);
    expect(long).toEqual([]);
  });

  it(`has no function over ${FUNCTION_LINES} lines that is not a flat table or switch`, () => {
    expect(files.flatMap(longFunctions)).toEqual([]);
  });

  it('tells a flat switch from a long function', () => {
    const classify = (body: string): string[] => {
      const file = join(ROOT, 'test', 'code-size.fixture.ts');
      const source = ts.createSourceFile(file, body, ts.ScriptTarget.Latest, true);
      let declaration: ts.FunctionDeclaration | undefined;
      source.forEachChild((node) => {
        if (ts.isFunctionDeclaration(node)) declaration = node;
      });
      return declaration?.body && isFlat(declaration.body) ? ['flat'] : ['not flat'];
    };
    const cases = Array.from({ length: 70 }, (_, i) => `    case ${i}: return ${i};`).join('\n');
    const steps = Array.from({ length: 70 }, (_, i) => `  total += ${i};`).join('\n');
    expect(classify(`function f(x: number) {\n  switch (x) {\n${cases}\n  }\n}\n`)).toEqual(['flat']);
    expect(classify(`function f() {\n  let total = 0;\n${steps}\n  return total;\n}\n`)).toEqual(['not flat']);
  });
});
