/**
 * Every error code the code base can answer with names the rulebook rule that refused the request, or is marked in
 * docs/error-codes.md as an input-validation or technical code. The codes are enumerated from the source: every
 * code-shaped string literal (`AREA.WHAT`) that is passed to a call or set as an object property, outside decorators
 * and comparisons; the rule is the argument or sibling `rule` property whose type is a rule ID (resolved by the
 * TypeScript checker, so `check.rule` counts when its type says 'V3').
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');

/** The rule IDs of the rulebook (docs/domain.md in the shared docs). */
const RULE_IDS = new Set([
  ...['V1', 'V2', 'V3', 'V4'],
  ...['L1', 'L2', 'L3', 'L4'],
  ...['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'A9'],
  ...['G1', 'G2', 'G3', 'G4', 'G5', 'G6', 'G7', 'G8'],
  ...['E1', 'E2', 'E3', 'E4', 'E5', 'E6'],
]);

const CODE = /^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)+$/;
const CODE_PREFIX = /^[A-Z][A-Z0-9_]*\./;
const RULE_SHAPE = /^[A-Z]\d{1,2}$/;

interface Declared {
  readonly code: string;
  readonly where: string;
  readonly rules: readonly string[];
  /** Raised as a rule violation (422): it must name a rule, a mark cannot excuse it. */
  readonly ruleRequired: boolean;
  /** A template whose static part is all that is known. */
  readonly prefixOnly: boolean;
}

const sourceFiles = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'libs', 'apps'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts') && !/\.(e2e-)?spec\.ts$/.test(f) && !f.includes('/testing/'))
    .map((f) => join(ROOT, f));

const unwrap = (node: ts.Node): ts.Node => {
  let current = node;
  while (
    ts.isParenthesizedExpression(current.parent) ||
    (ts.isBinaryExpression(current.parent) &&
      [ts.SyntaxKind.QuestionQuestionToken, ts.SyntaxKind.BarBarToken].includes(current.parent.operatorToken.kind))
  ) {
    current = current.parent;
  }
  return current;
};

const insideDecorator = (node: ts.Node): boolean => {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (ts.isDecorator(n)) return true;
  return false;
};

const literalsOf = (checker: ts.TypeChecker, node: ts.Node): string[] => {
  const type = checker.getTypeAtLocation(node);
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((t) => t.isStringLiteral()) ? parts.map((t) => (t as ts.StringLiteralType).value) : [];
};

const enumerate = (): Declared[] => {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error('tsconfig.json could not be read');
  const files = sourceFiles();
  // Only our own files: types from node_modules are not needed to tell a rule ID from a message.
  const program = ts.createProgram(files, { ...parsed.options, noResolve: true, types: [] });
  const checker = program.getTypeChecker();
  const found: Declared[] = [];
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not in the program`);
    const where = (node: ts.Node) => `${file.slice(ROOT.length + 1)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const declare = (node: ts.Node, code: string, prefixOnly: boolean) => {
      if (insideDecorator(node)) return;
      const outer = unwrap(node);
      const parent = outer.parent;
      if ((ts.isCallExpression(parent) || ts.isNewExpression(parent)) && parent.arguments?.includes(outer as ts.Expression)) {
        const others = parent.arguments.filter((a) => a !== outer);
        const rules = others.flatMap((a) => literalsOf(checker, a)).filter((l) => RULE_SHAPE.test(l));
        const callee = parent.expression.getText(source);
        const ruleRequired =
          callee === 'ruleViolation' ||
          (callee === 'DomainError' && others.some((a) => ts.isStringLiteral(a) && a.text === 'rule_violation'));
        found.push({ code, where: where(node), rules, ruleRequired, prefixOnly });
      } else if (ts.isPropertyAssignment(parent) && parent.initializer === outer) {
        const sibling = ts.isObjectLiteralExpression(parent.parent)
          ? parent.parent.properties.find(
              (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === 'rule',
            )
          : undefined;
        const rules = sibling ? literalsOf(checker, sibling.initializer).filter((l) => RULE_SHAPE.test(l)) : [];
        found.push({ code, where: where(node), rules, ruleRequired: false, prefixOnly });
      }
      // Anything else (a comparison, a case label, a list of codes) refers to a code declared elsewhere.
    };
    const visit = (node: ts.Node) => {
      if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && CODE.test(node.text)) declare(node, node.text, false);
      if (ts.isTemplateExpression(node) && CODE_PREFIX.test(node.head.text)) declare(node, node.head.text, true);
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
};

/** `| \`CODE\` or \`FAMILY.*\` | input validation or technical | why |` rows of docs/error-codes.md. */
const marked = (): Map<string, string> => {
  const rows = readFileSync(join(ROOT, 'docs/error-codes.md'), 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`([A-Z0-9_.*]+)`\s*\|\s*(input validation|technical)\s*\|\s*\S.*\|\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null);
  return new Map(rows.map((m) => [m[1], m[2]]));
};

const isMarked = (marks: Map<string, string>, code: string, prefixOnly: boolean): boolean =>
  (!prefixOnly && marks.has(code)) || [...marks.keys()].some((mark) => mark.endsWith('.*') && code.startsWith(mark.slice(0, -1)));

describe('every error code names its rule or is marked as input validation or technical', () => {
  const declared = enumerate();
  const marks = marked();

  it('finds the codes where they are declared (the enumeration itself works)', () => {
    const codes = new Set(declared.map((d) => d.code));
    for (const known of [
      'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1',
      'PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING',
      'VALIDATION.FAILED',
      'PAYMENTS.REFUND_EXCEEDS_CAPTURED',
      'CONTENT.PROHIBITED_PHRASE',
    ]) {
      expect(codes).toContain(known);
    }
    expect(declared.find((d) => d.code === 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1')?.rules).toEqual(['A5']);
    expect(declared.find((d) => d.code === 'CONTENT.PROHIBITED_PHRASE')?.rules).toEqual(['V3']);
    expect(declared.length).toBeGreaterThan(200);
  });

  it('every rule named is a rule ID of the rulebook', () => {
    const unknown = declared.flatMap((d) => d.rules.filter((r) => !RULE_IDS.has(r)).map((r) => `${d.code} (${d.where}): ${r}`));
    expect(unknown).toEqual([]);
  });

  it('every rule violation (422) names its rule, unless that very code is marked (a family mark does not excuse a 422)', () => {
    expect(
      declared.filter((d) => d.ruleRequired && d.rules.length === 0 && !marks.has(d.code)).map((d) => `${d.code} (${d.where})`),
    ).toEqual([]);
  });

  it('every code without a rule is marked in docs/error-codes.md as input validation or technical', () => {
    const unmarked = declared
      .filter((d) => d.rules.length === 0 && !isMarked(marks, d.code, d.prefixOnly))
      .map((d) => `${d.code}${d.prefixOnly ? '*' : ''} (${d.where})`);
    expect(unmarked).toEqual([]);
  });

  it('no code is both ruled somewhere and marked as rule-less (the mark would hide a rule)', () => {
    const ruled = new Set(declared.filter((d) => d.rules.length > 0).map((d) => d.code));
    expect([...marks.keys()].filter((mark) => ruled.has(mark))).toEqual([]);
  });
});
