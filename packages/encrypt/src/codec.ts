import { MAX_METADATA_BYTES, utf8Length, type JsonObject, type Session, type SessionInfo, type StoreErrors, type StoredMessage } from '@sessions/core';
import { asEnvelope, EnvelopeError, open, seal, type Envelope } from './envelope.js';
import { associatedData, type SessionKey, type SessionKeys } from './session-keys.js';

/** What to do with data that cannot be decrypted. */
export type DecryptErrorPolicy = 'throw' | 'skip';

/** Options of {@link Codec}. */
export interface CodecOptions {
  keys: SessionKeys;
  errors: StoreErrors;
  onDecryptError: DecryptErrorPolicy;
  /** `true` to encrypt metadata values. */
  encryptMetadata: boolean;
  /** Metadata keys kept in plaintext when `encryptMetadata` is on. */
  plaintextMetadataKeys: ReadonlySet<string>;
}

/**
 * Turns plaintext messages and metadata into what the inner store holds, and back. Every
 * failure to open is `DECRYPT_FAILED` (or, with the `skip` policy, the item is left out).
 */
export class Codec {
  constructor(private readonly options: CodecOptions) {}

  /** Seals one message's JSON text for its session under the current key. */
  sealMessage(userId: string, sessionId: string, text: string): Envelope {
    const k = this.options.keys.current(userId, sessionId);
    return seal(text, k.keyId, k.key, k.messageAad);
  }

  /** Opens one stored message; `null` when it cannot be opened and the policy is `skip`. */
  openMessage<M>(userId: string, sessionId: string, stored: StoredMessage, previous?: SessionKey): StoredMessage<M> | null {
    try {
      const envelope = asEnvelope(stored.message);
      // A page of messages is almost always under one key: reuse it without a cache lookup.
      const k = previous?.keyId === envelope.kid ? previous : this.options.keys.get(envelope.kid, userId, sessionId);
      if (!k) throw new EnvelopeError(`key id ${JSON.stringify(envelope.kid)} is not in the keyring; add that key to keys`);
      const message = JSON.parse(open(envelope, k.key, k.messageAad)) as M;
      return { seq: stored.seq, createdAt: stored.createdAt, message };
    } catch (error) {
      return this.failed(error, `message seq ${stored.seq} of session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)}`);
    }
  }

  /** Opens a list of stored messages, leaving out (policy `skip`) or throwing on those that cannot be opened. */
  openMessages<M>(userId: string, sessionId: string, stored: StoredMessage[]): StoredMessage<M>[] {
    const result: StoredMessage<M>[] = [];
    let key: SessionKey | undefined;
    for (const item of stored) {
      const kid = item.message['kid'];
      if (typeof kid === 'string' && key?.keyId !== kid) key = this.options.keys.get(kid, userId, sessionId);
      const opened = this.openMessage<M>(userId, sessionId, item, key);
      if (opened) result.push(opened);
    }
    return result;
  }

  /** The metadata as stored: each value sealed (keys listed as plaintext and `null`s kept as they are). */
  sealMetadata(userId: string, sessionId: string, metadata: JsonObject): JsonObject {
    if (!this.options.encryptMetadata) return metadata;
    const k = this.options.keys.current(userId, sessionId);
    const result: JsonObject = {};
    for (const [field, value] of Object.entries(metadata)) {
      const stored = value === null || this.options.plaintextMetadataKeys.has(field)
        ? value
        : seal(JSON.stringify(value), k.keyId, k.key, associatedData('metadata', userId, sessionId, field));
      setOwn(result, field, stored);
    }
    const bytes = utf8Length(JSON.stringify(result));
    if (bytes > MAX_METADATA_BYTES) {
      // Each encrypted value grows by about a third (base64) plus ~70 bytes of envelope.
      throw this.options.errors.tooLarge(
        `metadata would be ${bytes} bytes once encrypted; the limit is ${MAX_METADATA_BYTES}: keep encrypted metadata under about 48 KiB, or list large non-secret keys in plaintextMetadataKeys`,
      );
    }
    return result;
  }

  /** The metadata as the caller sees it: each sealed value opened. */
  openMetadata(userId: string, sessionId: string, metadata: JsonObject): JsonObject {
    if (!this.options.encryptMetadata) return metadata;
    const result: JsonObject = {};
    for (const [field, value] of Object.entries(metadata)) {
      if (this.options.plaintextMetadataKeys.has(field)) {
        setOwn(result, field, value);
        continue;
      }
      const opened = this.openField(userId, sessionId, field, value);
      if (opened !== undefined) setOwn(result, field, opened);
    }
    return result;
  }

  /** A session's info with its metadata opened. */
  openInfo<T extends SessionInfo>(info: T): T {
    if (!this.options.encryptMetadata) return info;
    return { ...info, metadata: this.openMetadata(info.userId, info.id, info.metadata) };
  }

  /** A session with its metadata and messages opened. */
  openSession<M, T extends Session>(session: T): Omit<T, 'messages'> & { messages: StoredMessage<M>[] } {
    return {
      ...this.openInfo(session),
      messages: this.openMessages<M>(session.userId, session.id, session.messages),
    };
  }

  private openField(userId: string, sessionId: string, field: string, value: JsonObject[string]): JsonObject[string] | undefined {
    try {
      const envelope = asEnvelope(value);
      const k = this.options.keys.get(envelope.kid, userId, sessionId);
      if (!k) throw new EnvelopeError(`key id ${JSON.stringify(envelope.kid)} is not in the keyring; add that key to keys`);
      return JSON.parse(open(envelope, k.key, associatedData('metadata', userId, sessionId, field))) as JsonObject[string];
    } catch (error) {
      return this.failed(error, `metadata key ${JSON.stringify(field)} of session ${JSON.stringify(sessionId)} of user ${JSON.stringify(userId)}`) ?? undefined;
    }
  }

  private failed(error: unknown, what: string): null {
    if (this.options.onDecryptError === 'skip') return null;
    // A JSON SyntaxError quotes the text it failed on: never keep it, it is plaintext.
    const envelopeError = error instanceof EnvelopeError ? error : undefined;
    const reason = envelopeError ? envelopeError.message : 'its plaintext is not valid JSON';
    throw this.options.errors.make('DECRYPT_FAILED', `${what} could not be decrypted: ${reason}`, envelopeError);
  }
}

/** Sets an own data property, so a key named `__proto__` stays data. */
function setOwn(target: JsonObject, key: string, value: JsonObject[string]): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
