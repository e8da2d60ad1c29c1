import type { JsonObject, SessionStore } from '@sessions/core';
import type { EncryptionCodec } from './encryption-codec.js';

/** The store calls key rotation and the message purge use: any store of this project has them. */
export type MaintainedStore = Pick<
  SessionStore<JsonObject>,
  'getSession' | 'readHistory' | 'rewriteMessages' | 'updateSession' | 'listSessions' | 'listUsers' | 'trimSession'
> & {
  /** Most messages one `rewriteMessages` call of this store takes (DynamoDB's transaction cap), when it has a cap. */
  readonly maxRewriteBatch?: number;
};

/** What a re-encryption or a purge did. */
export interface MaintenanceReport {
  /** Sessions whose stored data changed. */
  sessions: number;
  /** Messages re-encrypted or removed. */
  messages: number;
}

/** Options of re-encryption and of the message purge. */
export interface MaintenanceOptions {
  /**
   * Messages per read page and per `rewriteMessages` call: the bound on the work of each server
   * call, and on what a concurrent writer waits for. Lowered to the store's `maxRewriteBatch`.
   * @default 100
   */
  batchSize?: number;
}

/** Default of {@link MaintenanceOptions.batchSize}. */
export const DEFAULT_MAINTENANCE_BATCH_SIZE = 100;

/** The checked batch size, within what one rewrite call of the store takes. */
export function batchSizeOf(store: MaintainedStore, codec: EncryptionCodec, options: MaintenanceOptions): number {
  const size = options.batchSize ?? DEFAULT_MAINTENANCE_BATCH_SIZE;
  if (!Number.isSafeInteger(size) || size < 1) throw codec.errors.invalid(`batchSize must be a positive integer, got ${String(size)}`);
  const cap = store.maxRewriteBatch;
  return typeof cap === 'number' && cap >= 1 ? Math.min(size, cap) : size;
}

/** The ids of every session of a user, listed before anything is rewritten (a rewrite bumps updatedAt and reorders the listing). */
export async function sessionIds(store: MaintainedStore, userId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.listSessions(userId, { limit: 1000, cursor });
    for (const info of page.items) ids.push(info.id);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** Fails loudly when the store never ran this codec: a rotation through it would silently do nothing. */
export function requireCodecInUse(codec: EncryptionCodec, decodes: number, read: number): void {
  if (decodes === 0 && read > 0) {
    throw codec.errors.invalid('this store does not use this encryption codec: pass the same codec object in the store\'s codecs (or to encryptStore) and here');
  }
}
