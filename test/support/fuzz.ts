import fc from 'fast-check';

/**
 * Requests generated from the OpenAPI document the application serves: bodies from each operation's request schema,
 * then bent by hostile mutations (text PostgreSQL cannot store, wrong JSON types, numbers beyond any column, deep
 * nesting, unknown fields, missing required fields), and query and path parameters likewise.
 */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly format?: string;
  readonly enum?: readonly unknown[];
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly allOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly anyOf?: readonly Schema[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
}

interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
}

interface Operation {
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { schemas?: Record<string, Schema> };
}

export interface Endpoint {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  readonly parameters: readonly Parameter[];
  readonly body?: Schema;
}

export interface FuzzRequest {
  readonly method: Endpoint['method'];
  readonly url: string;
  /** A JSON value to send, or raw text sent as application/json (for shapes JSON.stringify cannot make). */
  readonly body?: { json: unknown } | { raw: string };
  readonly idempotencyKey?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export const endpointsOf = (document: OpenApiDocument): Endpoint[] =>
  Object.entries(document.paths).flatMap(([path, operations]) =>
    METHODS.filter((method) => operations[method]).map((method) => {
      const operation = operations[method] as Operation;
      return { method, path, parameters: operation.parameters ?? [], body: operation.requestBody?.content?.['application/json']?.schema };
    }),
  );

/** Strings a server must survive: NUL, unpaired surrogates both ways round, huge and control-laden text. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udc00',
      '\udfff\ud800',
      '\u202e',
      '%00',
      '../../etc/passwd',
      "'; drop table events; --",
      '',
      ' ',
      'null',
    ),
    fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.integer({ min: 1000, max: 70_000 }).map((length) => 'x'.repeat(length)),
  );

const hostileNumber = (): fc.Arbitrary<number> =>
  fc.constantFrom(2 ** 53, -(2 ** 53), 2 ** 63, 2 ** 64 + 1, 1e308, -1e308, 1.5, -1, 0, 2_147_483_648, Number.MIN_VALUE);

/** A value of any JSON type, nested a little or (rarely) far too deep. */
const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { arbitrary: hostileString(), weight: 4 },
    { arbitrary: hostileNumber(), weight: 2 },
    { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { $gt: '' }), weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
    { arbitrary: fc.integer({ min: 20, max: 200 }).map((depth) => nest(depth)), weight: 1 },
  );

const nest = (depth: number): unknown => {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { a: value };
  return value;
};

export class SchemaArbitraries {
  /**
   * Ids the server handed out during the run (from 2xx answers): path parameters draw from them too, so that requests
   * reach handlers past "not found".
   */
  constructor(
    private readonly document: OpenApiDocument,
    private readonly knownIds: readonly string[] = [],
  ) {}

  private resolve(schema: Schema): Schema {
    if (!schema.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return this.document.components?.schemas?.[name] ?? {};
  }

  /** Values the schema allows (as far as the schema says: DTO rules it does not carry may still refuse them). */
  valid(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    if (depth > 6) return fc.constant(null);
    if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
    const choices = schema.allOf ?? schema.oneOf ?? schema.anyOf;
    if (choices && choices.length > 0) return fc.oneof(...choices.map((choice) => this.valid(choice, depth + 1)));
    switch (schema.type) {
      case 'string':
        return this.string(schema);
      case 'integer':
        return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER) });
      case 'number':
        return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum ?? 0, max: schema.maximum ?? 1_000_000 });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items ?? {}, depth + 1), { maxLength: 3 });
      case 'object':
      case undefined: {
        if (!schema.properties) return fc.jsonValue({ maxDepth: 2 });
        const properties = Object.fromEntries(
          Object.entries(schema.properties).map(([name, property]) => [name, this.valid(property, depth + 1)]),
        );
        return fc.record(properties, { requiredKeys: (schema.required ?? []).filter((name) => name in properties) as never });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    switch (schema.format) {
      case 'uuid':
        return fc.uuid();
      case 'email':
        return fc.emailAddress();
      case 'date-time':
        return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
      case 'date':
        return fc
          .date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10));
      default:
        return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) });
    }
  }

  /** A valid body bent one way: a field made hostile, a required field dropped, an unknown field added, or all of it replaced. */
  body(schema: Schema): fc.Arbitrary<FuzzRequest['body']> {
    const resolved = this.resolve(schema);
    const names = Object.keys(resolved.properties ?? {});
    const valid = this.valid(schema);
    const asObject = (value: unknown): Record<string, unknown> =>
      typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
    const mutations: fc.Arbitrary<FuzzRequest['body']>[] = [
      valid.map((json) => ({ json })),
      fc
        .tuple(valid, fc.constantFrom(...(names.length > 0 ? names : ['field'])), hostileValue())
        .map(([json, name, value]) => ({ json: { ...asObject(json), [name]: value } })),
      fc.tuple(valid, fc.constantFrom(...(names.length > 0 ? names : ['field']))).map(([json, name]) => {
        const copy = asObject(json);
        delete copy[name];
        return { json: copy };
      }),
      fc.tuple(valid, hostileString(), hostileValue()).map(([json, name, value]) => ({ json: { ...asObject(json), [name]: value } })),
      hostileValue().map((json) => ({ json })),
      fc.tuple(valid, fc.integer({ min: 1_000, max: 50_000 })).map(([json, depth]) => ({
        raw: JSON.stringify({ ...asObject(json), [names[0] ?? 'field']: '__deep__' }).replace(
          '"__deep__"',
          `${'['.repeat(depth)}${']'.repeat(depth)}`,
        ),
      })),
      fc
        .tuple(
          valid,
          fc.constantFrom(...(names.length > 0 ? names : ['field'])),
          fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '0x10', 'NaN'),
        )
        .map(([json, name, number]) => ({ raw: JSON.stringify({ ...asObject(json), [name]: '__n__' }).replace('"__n__"', number) })),
    ];
    return fc.oneof(...mutations);
  }

  /** A parameter's value as sent: valid for its schema, hostile text, or a number no column can hold. */
  parameter(parameter: Parameter): fc.Arbitrary<string> {
    return fc.oneof(
      {
        arbitrary: this.valid(parameter.schema ?? { type: 'string' }).map((value) =>
          typeof value === 'string' ? value : JSON.stringify(value),
        ),
        weight: 3,
      },
      { arbitrary: hostileString(), weight: 3 },
      {
        arbitrary: fc.constantFrom(
          '123456789012345678901234567890',
          '-99999999999999999999',
          '1e400',
          '9223372036854775808',
          '-1',
          '1.5',
          'NaN',
          '0x1f',
        ),
        weight: 2,
      },
      { arbitrary: fc.uuid(), weight: 1 },
      {
        arbitrary: fc
          .nat()
          .map((index) => this.knownIds[index % Math.max(this.knownIds.length, 1)] ?? '00000000-0000-7000-8000-000000000000'),
        weight: 3,
      },
    );
  }

  request(endpoint: Endpoint): fc.Arbitrary<FuzzRequest> {
    const path = endpoint.parameters.filter((parameter) => parameter.in === 'path');
    const query = endpoint.parameters.filter((parameter) => parameter.in === 'query');
    const pathValues = fc.tuple(...path.map((parameter) => this.parameter(parameter)));
    const queryValues = fc.tuple(...query.map((parameter) => fc.option(this.parameter(parameter), { nil: undefined, freq: 3 })));
    const body = endpoint.body ? fc.option(this.body(endpoint.body), { nil: undefined, freq: 10 }) : fc.constant(undefined);
    const idempotencyKey = fc.option(fc.oneof(fc.uuid(), fc.string({ maxLength: 300 })), { nil: undefined, freq: 5 });
    return fc.tuple(pathValues, queryValues, body, idempotencyKey).map(([pathArgs, queryArgs, json, key]) => {
      let url = endpoint.path;
      path.forEach((parameter, index) => (url = url.replace(`{${parameter.name}}`, encode(pathArgs[index] as string))));
      const search = query
        .map((parameter, index) => [parameter.name, queryArgs[index]] as const)
        .filter((entry): entry is readonly [string, string] => entry[1] !== undefined)
        .map(([name, value]) => `${encodeURIComponent(name)}=${encode(value)}`)
        .join('&');
      return { method: endpoint.method, url: search ? `${url}?${search}` : url, body: json, idempotencyKey: key };
    });
  }
}

/** Percent-encoding that, unlike encodeURIComponent, also carries unpaired surrogates (as their WTF-8 bytes). */
export const encode = (text: string): string =>
  Array.from(text)
    .map((char) => {
      const code = char.charCodeAt(0);
      if (char.length === 1 && code >= 0xd800 && code <= 0xdfff) {
        return [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
          .map((byte) => `%${byte.toString(16).toUpperCase()}`)
          .join('');
      }
      return encodeURIComponent(char);
    })
    .join('');
