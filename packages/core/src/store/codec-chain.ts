import type { StoredEntry } from '../driver/session-driver.js';
import type { JsonObject } from '../types.js';
import type { CodecContext, MessageCodec } from './codec.js';

/** The store's codecs in order: encode runs them first to last, decode last to first. */
export class CodecChain {
  readonly empty: boolean;
  readonly hasMetadata: boolean;
  readonly rebinds: boolean;
  readonly encodesKeys: boolean;
  readonly rebindsMetadata: boolean;

  constructor(private readonly codecs: readonly MessageCodec[]) {
    this.empty = codecs.length === 0;
    this.hasMetadata = codecs.some((codec) => codec.encodeMetadata !== undefined || codec.decodeMetadata !== undefined);
    this.rebinds = codecs.some((codec) => codec.rebind !== undefined);
    this.encodesKeys = codecs.some((codec) => codec.encodeIdempotencyKey !== undefined);
    this.rebindsMetadata = codecs.some((codec) => codec.rebindMetadata !== undefined);
  }

  async encode(texts: string[], context: CodecContext): Promise<string[]> {
    let result = texts;
    for (const codec of this.codecs) result = await codec.encode(result, context);
    return result;
  }

  async decode(entries: StoredEntry[], context: CodecContext): Promise<StoredEntry[]> {
    let result = entries;
    for (let i = this.codecs.length - 1; i >= 0; i--) result = await this.codecs[i]!.decode(result, context);
    return result;
  }

  async rebind(entries: StoredEntry[], from: CodecContext, to: CodecContext): Promise<StoredEntry[]> {
    let result = entries;
    for (const codec of this.codecs) if (codec.rebind) result = await codec.rebind(result, from, to);
    return result;
  }

  async rebindMetadata(metadata: JsonObject, from: CodecContext, to: CodecContext): Promise<JsonObject> {
    let result = metadata;
    for (const codec of this.codecs) if (codec.rebindMetadata) result = await codec.rebindMetadata(result, from, to);
    return result;
  }

  async encodeIdempotencyKey(key: string | undefined, context: CodecContext): Promise<string | undefined> {
    let result = key;
    if (result === undefined) return result;
    for (const codec of this.codecs) if (codec.encodeIdempotencyKey) result = await codec.encodeIdempotencyKey(result, context);
    return result;
  }

  async encodeMetadata(metadata: JsonObject, context: CodecContext): Promise<JsonObject> {
    let result = metadata;
    for (const codec of this.codecs) if (codec.encodeMetadata) result = await codec.encodeMetadata(result, context);
    return result;
  }

  async decodeMetadata(metadata: JsonObject, context: CodecContext): Promise<JsonObject> {
    let result = metadata;
    for (let i = this.codecs.length - 1; i >= 0; i--) {
      const codec = this.codecs[i]!;
      if (codec.decodeMetadata) result = await codec.decodeMetadata(result, context);
    }
    return result;
  }
}
