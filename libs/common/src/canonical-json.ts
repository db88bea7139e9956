/**
 * Canonical JSON, the one serialiser for bytes that are hashed or signed: object keys in UTF-16 code unit order
 * (`Array.prototype.sort`), no whitespace, undefined members left out, undefined array elements as null. The same value
 * always gives the same bytes. Written in one pass without intermediate arrays because the append path runs it twice
 * per event; the spec holds it to the plain recursive definition, holes in arrays and exotic objects included.
 */

const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_KEPT = 10_000;

/** A key as it opens a member: `"key":`. Payload keys repeat from event to event; their quoting is kept (bounded). */
const quotedKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < QUOTED_KEYS_KEPT) quotedKeys.set(key, quoted);
  }
  return quoted;
};

export const canonicalJson = (value: unknown): string => {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          // canonicalJson maps over the array: a hole stays empty, an undefined element becomes null.
          out += item !== undefined ? canonicalJson(item) : i in value ? 'null' : '';
        }
        return `${out}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        out += `${out.length > 1 ? ',' : ''}${quotedKey(key)}${canonicalJson(item)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: unsupported value of type ${typeof value}`);
  }
};
