/**
 * JSON text with every object's keys sorted, built as a string (never as an object, so an own
 * `__proto__` key is kept rather than setting a prototype). Two values are deep-equal as JSON,
 * key order aside, exactly when their canonical texts are equal.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((key) => record[key] !== undefined).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(',')}}`;
}

/** The canonical text of what a store must return for `message`: its JSON form. */
export function expectedJson(message: unknown): string {
  return canonicalJson(JSON.parse(JSON.stringify(message)) as unknown);
}
