import { randomFillSync } from 'node:crypto';
import { NONCE_BYTES } from './aead.js';

// Nonces are cut from a pool of CSPRNG output refilled every 341 messages: one call into the
// generator per pool instead of one per message. Every nonce is a distinct slice, never reused.
const NONCE_POOL = Buffer.alloc(NONCE_BYTES * 341);
let poolOffset = NONCE_POOL.length;

/** Writes a fresh random 96-bit nonce into `target` at `offset` (a copy: the pool is refilled later). */
export function writeNonce(target: Buffer, offset = 0): void {
  if (poolOffset + NONCE_BYTES > NONCE_POOL.length) {
    randomFillSync(NONCE_POOL);
    poolOffset = 0;
  }
  NONCE_POOL.copy(target, offset, poolOffset, poolOffset + NONCE_BYTES);
  poolOffset += NONCE_BYTES;
}
