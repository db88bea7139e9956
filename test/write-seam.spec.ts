/**
 * Handlers, controllers, services acting as handlers and apps reach the write path through the one seam only
 * (`AggregateStore.handle` with `followOn`, side writes and after-commit work chosen by options). This scans their
 * sources (syntax only, so it runs in a second) for the machinery behind the seam: the unit of work's own entry
 * (`execute`), raw appends, event envelopes made by hand (`toNew`), the removed options (`alongside`, `alsoAppend`)
 * and methods (`recall`, `appendFor`, `decideAppend`), the request's record, stream memory and transactions.
 * Dependency-cruiser sees imports, not method calls; this sees both.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '..');

/** Files not yet on the seam, each with who moves it. A file listed here that no longer violates may be removed. */
const NOT_YET: Record<string, string> = {};

/** Where the write path must go through the seam: application code, HTTP and apps (not platform or the event store). */
const inScope = (file: string): boolean =>
  file.endsWith('.ts') &&
  !/\.(e2e-)?spec\.ts$/.test(file) &&
  !file.includes('/testing/') &&
  !file.startsWith('libs/platform/') &&
  !file.startsWith('libs/event-store/') &&
  (/^libs\/[^/]+\/src\/(application|api)\//.test(file) || file.startsWith('apps/') || /\.(handler|service|controller)\.ts$/.test(file));

const REMOVED_METHODS = new Set(['recall', 'appendFor', 'decideAppend', 'settleWith']);
const REMOVED_OPTIONS = new Set(['alongside', 'alsoAppend']);
const UNIT_OF_WORK_METHODS = new Set(['execute', 'toNew']);
const RAW_APPENDS = new Set(['append', 'appendMany']);
const MACHINERY_IMPORTS = new Set([
  'RequestRecords',
  'RequestRecord',
  'StreamMemory',
  'STREAM_MEMORY',
  'EventStoreTransaction',
  'AppendGuard',
  'sideWrite',
]);
const AGGREGATE_STORE = new Set(['AggregateStore']);
const EVENT_STORES = new Set(['EventStore', 'PgEventStore']);

export interface Finding {
  readonly line: number;
  readonly what: string;
}

/** The names a class gets its AggregateStore and EventStore by (constructor parameters and typed properties). */
const injectedNames = (source: ts.SourceFile) => {
  const aggregates = new Set<string>();
  const events = new Set<string>();
  const visit = (node: ts.Node) => {
    if (
      (ts.isParameter(node) || ts.isPropertyDeclaration(node)) &&
      node.type &&
      ts.isTypeReferenceNode(node.type) &&
      ts.isIdentifier(node.name)
    ) {
      const type = node.type.typeName.getText(source);
      if (AGGREGATE_STORE.has(type)) aggregates.add(node.name.text);
      if (EVENT_STORES.has(type)) events.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { aggregates, events };
};

/** `this.name` or `name`: the receiver's last name. */
const receiverName = (expression: ts.Expression): string | undefined =>
  ts.isIdentifier(expression) ? expression.text : ts.isPropertyAccessExpression(expression) ? expression.name.text : undefined;

export const findMachinery = (fileName: string, text: string): Finding[] => {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const { aggregates, events } = injectedNames(source);
  const findings: Finding[] = [];
  const at = (node: ts.Node, what: string) =>
    findings.push({ line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
      const method = node.expression.name.text;
      const receiver = node.expression.expression;
      const name = receiverName(receiver);
      if (REMOVED_METHODS.has(method)) at(node, `calls ${method}(), which is behind the seam`);
      if (UNIT_OF_WORK_METHODS.has(method) && name && aggregates.has(name)) at(node, `calls AggregateStore.${method}(): use handle(...)`);
      const onEvents =
        (name && events.has(name)) ||
        (ts.isPropertyAccessExpression(receiver) &&
          receiver.name.text === 'events' &&
          aggregates.has(receiverName(receiver.expression) ?? ''));
      if (RAW_APPENDS.has(method) && onEvents) at(node, `appends to the event store directly (${method}): use handle(...) with followOn`);
    }
    if (ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isShorthandPropertyAssignment(node)) {
      if (ts.isObjectLiteralExpression(node.parent) && node.name && ts.isIdentifier(node.name) && REMOVED_OPTIONS.has(node.name.text)) {
        at(node, `passes the removed option ${node.name.text}: use followOns or sideWrites`);
      }
    }
    if (ts.isImportDeclaration(node) && node.importClause?.namedBindings && ts.isNamedImports(node.importClause.namedBindings)) {
      for (const element of node.importClause.namedBindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (MACHINERY_IMPORTS.has(imported)) at(element, `imports ${imported}, which is the unit of work's (or infrastructure's)`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return findings;
};

const sourceFiles = (): string[] =>
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'libs', 'apps'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(inScope);

describe('the write path goes through the one seam', () => {
  it('no handler, controller, service or app calls the machinery behind AggregateStore.handle', () => {
    const violations = sourceFiles()
      .filter((file) => !(file in NOT_YET))
      .flatMap((file) =>
        findMachinery(file, readFileSync(join(ROOT, file), 'utf8')).map((finding) => `${file}:${finding.line} ${finding.what}`),
      );
    expect(violations).toEqual([]);
  });

  it('the scan sees each kind of violation (and nothing in a handler on the seam)', () => {
    const violating = [
      "import { AggregateStore, EventStoreTransaction, RequestRecords } from '@app/platform';",
      'export class Handler {',
      '  constructor(private readonly store: AggregateStore, private readonly events: EventStore) {}',
      '  async run(command, context) {',
      '    await this.store.execute(decider, "s-1", command, context, { alongside: async (tx) => undefined });',
      '    await this.store.handle(decider, "s-1", command, context, () => 1, { alsoAppend: async () => [] });',
      '    await this.store.recall(decider, "s-1");',
      '    await this.events.append("s-2", this.store.toNew([], context), "no_stream");',
      '    await this.store.events.appendMany([]);',
      '  }',
      '}',
    ].join('\n');
    expect(findMachinery('violating.handler.ts', violating).map((finding) => finding.line)).toEqual([1, 1, 5, 5, 6, 7, 8, 8, 9]);
    const onTheSeam = [
      "import { AggregateStore, followOn } from '@app/platform';",
      'export class Handler {',
      '  constructor(private readonly aggregates: AggregateStore, private readonly commands: CommandBus) {}',
      '  async run(command, context) {',
      '    await this.commands.execute(command);',
      '    return this.aggregates.handle(decider, "s-1", command, context, ({ state }) => state, { followOns: () => [followOn(decider, "s-2", command)] });',
      '  }',
      '}',
    ].join('\n');
    expect(findMachinery('seam.handler.ts', onTheSeam)).toEqual([]);
  });
});
