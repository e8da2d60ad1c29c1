/** The position a `listSessions` page ends at: the last item's `updatedAt` (ms) and id. */
export interface ListCursor {
  updatedAt: number;
  id: string;
}

/** Encodes a keyset position as an opaque, URL-safe cursor string. */
export function encodeListCursor(position: ListCursor): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.id]), 'utf8').toString('base64url');
}

/** Decodes a cursor made by {@link encodeListCursor}; `null` when it is not one. */
export function decodeListCursor(cursor: string): ListCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      (parsed[0] as number) >= 0 &&
      typeof parsed[1] === 'string'
    ) {
      return { updatedAt: parsed[0] as number, id: parsed[1] };
    }
  } catch {
    // fall through: not a cursor of ours
  }
  return null;
}

/**
 * The listing order: newest `updatedAt` first, then id ascending. Negative when `a` comes first.
 * Ids compare by UTF-16 code units, like JavaScript's `<`.
 */
export function compareListOrder(a: ListCursor, b: ListCursor): number {
  if (a.updatedAt !== b.updatedAt) return b.updatedAt - a.updatedAt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
