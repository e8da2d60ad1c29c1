import type { RedisClient } from './client.js';
import type { KeySpace } from './keys.js';
import type { ScriptRunner } from './script.js';

/** What every operation of the driver works with. */
export interface RedisContext {
  readonly client: RedisClient;
  readonly keys: KeySpace;
  readonly scripts: ScriptRunner;
}
