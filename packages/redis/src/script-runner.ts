import type { RedisClient } from './options.js';
import * as scripts from './scripts/index.js';
import type { RedisScript } from './scripts/index.js';

type ScriptCommand = (keys: string[], args: string[]) => Promise<unknown>;

const ALL_SCRIPTS: RedisScript[] = Object.values(scripts);

/**
 * Runs the store's Lua scripts on one client. They are registered with ioredis
 * `defineCommand`, which sends `EVALSHA` and falls back to `EVAL` on `NOSCRIPT` (after a
 * restart, a failover, or on a cluster node that has not seen the script yet), so each call is
 * one round trip. On a `Cluster` client each call goes to the node of its keys' slot.
 */
export class ScriptRunner {
  constructor(private readonly client: RedisClient) {
    for (const script of ALL_SCRIPTS) {
      client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
    }
  }

  /** Runs `script` with its keys and arguments; resolves with the raw reply. */
  run<T>(script: RedisScript, keys: string[], args: string[]): Promise<T> {
    const command = (this.client as unknown as Record<string, ScriptCommand>)[script.name];
    if (!command) return Promise.reject(new Error(`script ${script.name} is not registered on this client`));
    // ioredis flattens array arguments, so no spread of a huge batch is needed.
    return command.call(this.client, keys, args) as Promise<T>;
  }
}
