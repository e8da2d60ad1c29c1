import { storeErrors, systemClock, type CodecContext, type JsonObject, type MessageCodec, type StoredEntry, type StoreErrors } from '@sessions/core';
import { DecodeWatches, type DecodeWatch } from './decode-watch.js';
import type { CipherInfo } from './cipher/aead.js';
import { selectCiphers } from './cipher/select.js';
import { EnvelopeError, Envelopes, isStale, readEnvelope } from './envelope.js';
import { Keyring } from './keyring.js';
import { MessageTtl } from './message-ttl.js';
import { MetadataCrypto } from './metadata-crypto.js';
import type { DecryptErrorPolicy, EncryptionOptions } from './options.js';
import { SessionKeys, type SessionKey } from './session-keys.js';

const DEFAULT_KEY_CACHE_SIZE = 10_000;

/**
 * The encryption codec: every message (and, with `encryptMetadata`, every metadata value) is
 * sealed with an AEAD (ChaCha20-Poly1305 through `sodium-native` when it is installed, else
 * AES-256-GCM through `node:crypto`: see {@link EncryptionCodec.cipher}) under a key derived for
 * its (user, session) before the driver stores it, and opened on the way out. Build it with {@link encryption}; key rotation and the message
 * purge are {@link reencryptSession}, {@link reencryptUser} and {@link purgeExpiredMessages}.
 */
export class EncryptionCodec implements MessageCodec {
  readonly name = 'encryption';
  /** The master keys, by id. */
  readonly keyring: Keyring;
  /** @internal The message TTL (hides expired messages; the purge removes them). */
  readonly messageTtl: MessageTtl;
  /** @internal What rotation and the purge learn from decoding. */
  readonly watches = new DecodeWatches();
  /** @internal */
  readonly errors: StoreErrors;
  /** What new envelopes are sealed with (every format is read either way). */
  readonly cipher: CipherInfo;
  private readonly envelopes: Envelopes;
  private readonly keys: SessionKeys;
  private readonly policy: DecryptErrorPolicy;
  private readonly metadata: MetadataCrypto | undefined;

  constructor(options: EncryptionOptions) {
    const errors = storeErrors('encrypt');
    if (typeof options !== 'object' || options === null) throw errors.invalid('encryption needs options { keys, currentKeyId }');
    this.errors = errors;
    this.keyring = options.keys instanceof Keyring
      ? options.keys
      : new Keyring({ keys: options.keys, currentKeyId: options.currentKeyId ?? '', ...(options.hmacKeyId === undefined ? {} : { hmacKeyId: options.hmacKeyId }) });
    const cacheSize = options.keyCacheSize ?? DEFAULT_KEY_CACHE_SIZE;
    if (!Number.isSafeInteger(cacheSize) || cacheSize < 1) throw errors.invalid(`keyCacheSize must be a positive integer, got ${String(cacheSize)}`);
    const policy = options.onDecryptError ?? 'throw';
    if (policy !== 'throw' && policy !== 'skip') throw errors.invalid(`onDecryptError must be "throw" or "skip", got ${JSON.stringify(policy)}`);
    this.policy = policy;
    const binding = options.binding ?? 'auto';
    if (binding !== 'auto' && binding !== 'sodium-native' && binding !== 'node:crypto') {
      throw errors.invalid(`binding must be "auto", "sodium-native" or "node:crypto", got ${JSON.stringify(binding)}`);
    }
    const ciphers = selectCiphers(binding);
    if (!ciphers) throw errors.invalid('binding "sodium-native" was asked for but sodium-native cannot be loaded: npm install sodium-native, or use binding "auto"');
    this.cipher = ciphers.info;
    this.envelopes = new Envelopes(ciphers);
    this.keys = new SessionKeys(this.keyring, cacheSize);
    this.messageTtl = new MessageTtl(options.messageTtlMs, options.clock ?? systemClock, errors);
    this.metadata = options.encryptMetadata
      ? new MetadataCrypto({ keys: this.keys, envelopes: this.envelopes, errors, plaintextKeys: new Set(options.plaintextMetadataKeys ?? []), failed: (error, what) => this.failed(error, what) })
      : undefined;
  }

  encode(texts: string[], context: CodecContext): string[] {
    const k = this.keys.current(context.userId, context.sessionId);
    const result = new Array<string>(texts.length);
    for (let i = 0; i < texts.length; i++) result[i] = this.envelopes.seal(texts[i]!, k, k.messageAad);
    return result;
  }

  decode(entries: StoredEntry[], context: CodecContext): StoredEntry[] {
    const watches = this.watches.of(context);
    if (watches) for (const watch of watches) watch.decodes++;
    const cutoff = this.messageTtl.cutoff();
    const result: StoredEntry[] = [];
    let k: SessionKey | undefined;
    for (const entry of entries) {
      // Expired messages are never shown, so never decrypted.
      if (cutoff !== undefined && entry.createdAt <= cutoff) {
        if (watches) see(watches, entry.seq, true, false);
        continue;
      }
      let seen = false;
      try {
        const envelope = readEnvelope(entry.text);
        if (watches) {
          see(watches, entry.seq, false, isStale(envelope, this.keyring.currentKeyId));
          seen = true;
        }
        // A page is almost always under one key: reuse it without a cache lookup.
        if (k?.keyId !== envelope.keyId) k = this.sessionKey(envelope.keyId, context);
        result.push({ seq: entry.seq, createdAt: entry.createdAt, text: this.envelopes.open(envelope, k, k.messageAad) });
      } catch (error) {
        if (watches && !seen) see(watches, entry.seq, false, false);
        this.failed(error, `message seq ${entry.seq} of session ${JSON.stringify(context.sessionId)} of user ${JSON.stringify(context.userId)}`);
      }
    }
    return result;
  }

  /** A fork's entries, opened under the source's key and sealed again under the fork's. */
  rebind(entries: StoredEntry[], from: CodecContext, to: CodecContext): StoredEntry[] {
    const target = this.keys.current(to.userId, to.sessionId);
    const cutoff = this.messageTtl.cutoff();
    return entries.map((entry) => {
      // Hidden for ever: not worth opening, and the fork never shows it either.
      if (cutoff !== undefined && entry.createdAt <= cutoff) return entry;
      try {
        const envelope = readEnvelope(entry.text);
        const k = this.sessionKey(envelope.keyId, from);
        return { ...entry, text: this.envelopes.seal(this.envelopes.open(envelope, k, k.messageAad), target, target.messageAad) };
      } catch (error) {
        // With "skip" the entry is kept as stored: unreadable in the fork as in the source.
        this.failed(error, `message seq ${entry.seq} of session ${JSON.stringify(from.sessionId)} of user ${JSON.stringify(from.userId)} (copied by a fork)`);
        return entry;
      }
    });
  }

  /** A keyed hash of the caller's key (see the `hmacKeyId` option): never stored in clear. */
  encodeIdempotencyKey(key: string, context: CodecContext): string {
    return this.keys.idempotencyKey(key, context.userId, context.sessionId);
  }

  encodeMetadata(metadata: JsonObject, context: CodecContext): JsonObject {
    return this.metadata ? this.metadata.seal(metadata, context) : metadata;
  }

  decodeMetadata(metadata: JsonObject, context: CodecContext): JsonObject {
    if (!this.metadata) return metadata;
    const watches = this.watches.of(context);
    if (watches) for (const watch of watches) watch.decodes++;
    return this.metadata.open(metadata, context, watches);
  }

  /**
   * A fork's stored metadata sealed again for the fork (values the driver copied from the source
   * are bound to the source). For the store to call after a driver fork; see the README.
   */
  rebindMetadata(metadata: JsonObject, from: CodecContext, to: CodecContext): JsonObject {
    return this.metadata ? this.metadata.rebind(metadata, from, to) : metadata;
  }

  private sessionKey(keyId: string, context: CodecContext): SessionKey {
    const k = this.keys.get(keyId, context.userId, context.sessionId);
    if (!k) throw new EnvelopeError(`key id ${JSON.stringify(keyId)} is not in the keyring; add that key to keys`);
    return k;
  }

  /** Throws `DECRYPT_FAILED`, or returns (the item is left out) with the `skip` policy. */
  private failed(error: unknown, what: string): void {
    if (this.policy === 'skip') return;
    // Only an EnvelopeError is kept as the cause: a JSON SyntaxError quotes the text it failed
    // on, which may be plaintext.
    const envelopeError = error instanceof EnvelopeError ? error : undefined;
    const reason = envelopeError ? envelopeError.message : 'its plaintext is not valid JSON';
    throw this.errors.make('DECRYPT_FAILED', `${what} could not be decrypted: ${reason}`, envelopeError);
  }
}

function see(watches: Set<DecodeWatch>, seq: number, expired: boolean, stale: boolean): void {
  for (const watch of watches) watch.entries.push({ seq, expired, stale });
}
