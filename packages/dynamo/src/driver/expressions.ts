/**
 * Expression attribute names for every attribute an operation names in an expression, so no
 * attribute ever collides with one of DynamoDB's reserved words (`ttl`, `type`, ...): always
 * write `#name` in expressions.
 */
export function names(...attributes: string[]): Record<string, string> {
  return Object.fromEntries(attributes.map((a) => [`#${a}`, a]));
}

/** Condition: the item is absent, or it is a session item that had expired by `:now`. */
export const ABSENT_OR_EXPIRED = 'attribute_not_exists(#PK) OR #expiresAt <= :now';

/** Condition: the session item is there, of generation `:gen`, and not expired at `:now`. */
export const LIVE_GENERATION = 'attribute_exists(#PK) AND #gen = :gen AND (attribute_not_exists(#expiresAt) OR #expiresAt > :now)';
