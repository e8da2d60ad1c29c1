import type { SessionKey } from '../session-keys.js';
import type { Aead, CipherBinding, CipherInfo } from './aead.js';
import { NodeAead, nodeHasChaCha } from './node-aead.js';
import { loadSodium, SodiumAead } from './sodium-aead.js';

/** The `binding` option: which implementation to use, or `auto`. */
export type BindingChoice = 'auto' | CipherBinding;

/** The AEADs of one codec: the one new envelopes are sealed with, and one per readable format. */
export interface Ciphers {
  info: CipherInfo;
  /** Seals new envelopes (format `info.format`). */
  writer: Aead;
  /** Opens format 2 (and 1): AES-256-GCM, always through node:crypto (sodium-native does not expose libsodium's AES-GCM). */
  aesGcm: Aead;
  /** Opens format 3: ChaCha20-Poly1305 through sodium-native when loaded, else node:crypto. */
  chaCha: Aead;
}

const nodeAesGcm = new NodeAead(2, 'aes-256-gcm');
const nodeChaCha = new NodeAead(3, 'chacha20-poly1305');
let sodiumAead: SodiumAead | null | undefined;

/**
 * The AEADs for a `binding` choice. `auto` takes sodium-native (format 3, ChaCha20-Poly1305)
 * when it loads and agrees with node:crypto on a test message, else node:crypto's AES-256-GCM
 * (format 2: the faster AEAD inside node:crypto). `sodium-native` returns `undefined` when it
 * cannot be loaded or fails that check (the caller says so); `node:crypto` never loads it.
 */
export function selectCiphers(choice: BindingChoice): Ciphers | undefined {
  const sodium = choice === 'node:crypto' ? undefined : usableSodium();
  if (sodium) return { info: { algorithm: 'chacha20-poly1305', binding: 'sodium-native', format: 3 }, writer: sodium, aesGcm: nodeAesGcm, chaCha: sodium };
  if (choice === 'sodium-native') return undefined;
  return { info: { algorithm: 'aes-256-gcm', binding: 'node:crypto', format: 2 }, writer: nodeAesGcm, aesGcm: nodeAesGcm, chaCha: nodeChaCha };
}

/** sodium-native's AEAD, checked once per process against node:crypto's ChaCha20-Poly1305 (same bytes both ways). */
function usableSodium(): SodiumAead | undefined {
  if (sodiumAead === undefined) {
    const binding = loadSodium();
    const candidate = binding ? new SodiumAead(binding) : undefined;
    sodiumAead = candidate && agrees(candidate) ? candidate : null;
  }
  return sodiumAead ?? undefined;
}

function agrees(sodium: SodiumAead): boolean {
  const key: SessionKey = { keyId: 'self-check', key: Buffer.alloc(32, 7), messageAad: Buffer.from('self-check') };
  const text = 'sodium-native self-check ✓';
  try {
    if (sodium.open(sodium.seal(text, key, key.messageAad), key, key.messageAad) !== text) return false;
    if (!nodeHasChaCha()) return true;
    return nodeChaCha.open(sodium.seal(text, key, key.messageAad), key, key.messageAad) === text
      && sodium.open(nodeChaCha.seal(text, key, key.messageAad), key, key.messageAad) === text;
  } catch {
    return false;
  }
}
