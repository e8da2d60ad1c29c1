import { DriverSessionStore, invalidUrl, parseStoreUrl, registerStoreScheme, type JsonObject, type StoreOptions } from '@sessions/core';
import { MapDriver, type Rows } from './map-driver.js';

/** Options of {@link MapSessionStore}: the shared store options, plus this backend's own field. */
export interface MapSessionStoreOptions<M extends JsonObject = JsonObject> extends StoreOptions<M> {
  /**
   * The data to work on (the "server"). Pass one to several stores and they share it.
   * @default a new, private Map
   */
  rows?: Rows;
}

/** The named in-process "servers" that `map:<name>` URLs open. */
export const MAP_SERVERS = new Map<string, Rows>();

/** A `SessionStore` over a `Map`: the shared store of `@sessions/core` over {@link MapDriver}. */
export class MapSessionStore<M extends JsonObject = JsonObject> extends DriverSessionStore<M> {
  constructor(options: MapSessionStoreOptions<M> = {}) {
    const { rows, ...storeOptions } = options;
    super(new MapDriver(rows), storeOptions);
  }

  /** A store over the named server of `map:<name>` (created on first use). */
  static async fromUrl<M extends JsonObject = JsonObject>(url: string, options: MapSessionStoreOptions<M> = {}): Promise<MapSessionStore<M>> {
    const { scheme, rest, text } = parseStoreUrl(url);
    if (scheme !== 'map' || !/^[\w-]+$/.test(rest)) throw invalidUrl(text, 'a map URL is map:<name>, the name in letters, digits, _ and -');
    let rows = MAP_SERVERS.get(rest);
    if (!rows) MAP_SERVERS.set(rest, (rows = new Map()));
    return new MapSessionStore<M>({ ...options, rows });
  }
}

// What the package's index.ts does: importing it makes openStore('map:<name>') work.
registerStoreScheme(['map'], (url, options) => MapSessionStore.fromUrl(url.text, options));
