import { MAX_METADATA_BYTES, utf8Length, type CodecContext, type Json, type JsonObject, type StoreErrors } from '@sessions/core';
import type { DecodeWatch } from './decode-watch.js';
import { envelopeOfValue, EnvelopeError, isStale, type Envelopes } from './envelope.js';
import { associatedData, type SessionKeys } from './session-keys.js';

/** The metadata key the store writes on a fork, with a session id and a seq: kept in plaintext. */
const FORKED_FROM = 'forkedFrom';

/** What the metadata half of the codec needs. */
export interface MetadataCryptoOptions {
  keys: SessionKeys;
  /** Seals and opens the values. */
  envelopes: Envelopes;
  errors: StoreErrors;
  /** Metadata keys never encrypted. */
  plaintextKeys: ReadonlySet<string>;
  /** Called with a failure to open a value: throws (`DECRYPT_FAILED`), or returns to skip the value. */
  failed: (error: unknown, what: string) => void;
}

/**
 * Encrypts metadata values one by one (key names stay visible, so the driver's shallow merge
 * keeps working), each bound to its user, session and key name.
 */
export class MetadataCrypto {
  constructor(private readonly options: MetadataCryptoOptions) {}

  /** The metadata as stored: each value sealed, except `null`s (they mean "remove") and plaintext keys. */
  seal(metadata: JsonObject, context: CodecContext): JsonObject {
    const k = this.options.keys.current(context.userId, context.sessionId);
    const result: JsonObject = {};
    for (const [field, value] of Object.entries(metadata)) {
      const stored = value === null || this.isPlaintext(field, value)
        ? value
        : unquote(this.options.envelopes.seal(JSON.stringify(value), k, associatedData('metadata', context.userId, context.sessionId, field)));
      setOwn(result, field, stored);
    }
    const bytes = utf8Length(JSON.stringify(result));
    if (bytes > MAX_METADATA_BYTES) {
      // Each encrypted value grows by about a third (base64) plus ~40 bytes of envelope.
      throw this.options.errors.tooLarge(
        `metadata would be ${bytes} bytes once encrypted; the limit is ${MAX_METADATA_BYTES}: keep encrypted metadata under about 48 KiB, or list large non-secret keys in plaintextMetadataKeys`,
      );
    }
    return result;
  }

  /** The metadata as the caller sees it: each sealed value opened (or left out, with the `skip` policy). */
  open(metadata: JsonObject, context: CodecContext, watches?: Set<DecodeWatch>): JsonObject {
    const result: JsonObject = {};
    for (const [field, value] of Object.entries(metadata)) {
      if (this.isPlaintext(field, value)) {
        setOwn(result, field, value);
        continue;
      }
      try {
        const envelope = envelopeOfValue(value);
        if (watches && isStale(envelope, this.options.keys.currentKeyId)) {
          for (const watch of watches) watch.staleMetadata.add(field);
        }
        setOwn(result, field, this.openValue(value, field, context));
      } catch (error) {
        this.options.failed(error, `metadata key ${JSON.stringify(field)} of session ${JSON.stringify(context.sessionId)} of user ${JSON.stringify(context.userId)}`);
      }
    }
    return result;
  }

  /**
   * A fork's stored metadata re-sealed for the fork: values sealed for the source are opened
   * under `from` and sealed under `to`; values already sealed for `to` (the fork's own patch) and
   * values that open under neither stay as they are.
   */
  rebind(metadata: JsonObject, from: CodecContext, to: CodecContext): JsonObject {
    const result: JsonObject = {};
    const k = this.options.keys.current(to.userId, to.sessionId);
    for (const [field, value] of Object.entries(metadata)) {
      let stored: Json = value;
      if (!this.isPlaintext(field, value) && !this.opens(value, field, to)) {
        try {
          const plaintext = JSON.stringify(this.openValue(value, field, from));
          stored = unquote(this.options.envelopes.seal(plaintext, k, associatedData('metadata', to.userId, to.sessionId, field)));
        } catch {
          // Not readable under the source either: kept as stored, reads report it.
        }
      }
      setOwn(result, field, stored);
    }
    return result;
  }

  private opens(value: Json, field: string, context: CodecContext): boolean {
    try {
      this.openValue(value, field, context);
      return true;
    } catch {
      return false;
    }
  }

  private openValue(value: Json, field: string, context: CodecContext): Json {
    const envelope = envelopeOfValue(value);
    const master = this.options.keys.get(envelope.keyId, context.userId, context.sessionId);
    if (!master) throw new EnvelopeError(`key id ${JSON.stringify(envelope.keyId)} is not in the keyring; add that key to keys`);
    return JSON.parse(this.options.envelopes.open(envelope, master, associatedData('metadata', context.userId, context.sessionId, field))) as Json;
  }

  /** Plaintext keys, and `forkedFrom` as the store writes it (a plain object, never an envelope). */
  private isPlaintext(field: string, value: Json): boolean {
    if (this.options.plaintextKeys.has(field)) return true;
    return field === FORKED_FROM && typeof value === 'object' && value !== null && !Array.isArray(value) && !('ct' in value);
  }
}

/** The metadata value of a sealed text: the JSON string's content. */
function unquote(sealed: string): string {
  return sealed.slice(1, -1);
}

/** Sets an own data property, so a key named `__proto__` stays data. */
function setOwn(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
