import { Cluster } from 'ioredis';
import type { RedisClient } from './client.js';
import type { InFlightWrites } from './in-flight.js';
import { checkReplicas, type ReplicaWait } from './replicas.js';

/** One Lua script of the driver, registered on the client with ioredis `defineCommand`. */
export interface RedisScript {
  /** The command name it gets on the client (prefixed, so it cannot clash with the caller's own). */
  readonly name: string;
  /** How many of the arguments are keys. */
  readonly numberOfKeys: number;
  /** The Lua source. */
  readonly lua: string;
  /**
   * `true` for a script that writes nothing a caller was told about (reads, and the listing's
   * removal of stale index entries): `waitForReplicas` does not wait after it.
   */
  readonly readOnly?: boolean;
}

/** What a script refused with its own error reply (`SESSIONS_<CODE> <numbers>`): an expected outcome, not a fault. */
export interface ScriptRefusal {
  readonly refused: 'NOT_FOUND' | 'EXISTS' | 'CONFLICT' | 'TOO_LARGE' | 'BOUNDS';
  readonly args: number[];
}

// Redis prefixes "ERR " to an error reply that is a single word.
const REFUSAL = /^(?:ERR )?SESSIONS_(NOT_FOUND|EXISTS|CONFLICT|TOO_LARGE|BOUNDS)(?: (.*))?$/;

/** `true` when a script's reply is a {@link ScriptRefusal}. */
export function isRefusal(reply: unknown): reply is ScriptRefusal {
  return typeof reply === 'object' && reply !== null && 'refused' in reply;
}

type ScriptCommand = (keys: readonly string[], argv: readonly string[]) => Promise<unknown>;

/**
 * Runs the driver's Lua scripts on one client. They are registered with ioredis
 * `defineCommand`, which sends `EVALSHA` and falls back to `EVAL` on `NOSCRIPT` (after a
 * restart, a failover, or on a cluster node that has not seen the script yet), so each call is
 * one round trip. On a `Cluster` client each call goes to the node of its keys' slot.
 */
export class ScriptRunner {
  constructor(
    private readonly client: RedisClient,
    private readonly inFlight: InFlightWrites,
    scripts: readonly RedisScript[],
    private readonly replicaWait?: ReplicaWait,
  ) {
    for (const script of scripts) client.defineCommand(script.name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }

  /** Runs `script`: its reply, or the refusal it answered with. Anything else it throws is a fault. */
  async run<T>(script: RedisScript, keys: readonly string[], argv: readonly string[]): Promise<T | ScriptRefusal> {
    // defineCommand adds a method per script, which ioredis' types cannot know about.
    const command = (this.client as unknown as Record<string, ScriptCommand>)[script.name];
    if (!command) throw new Error(`script ${script.name} is not registered on this client`);
    try {
      if (this.replicaWait && !script.readOnly) return (await this.runAndWait(script, keys, argv, this.replicaWait)) as T;
      // ioredis flattens array arguments, so no spread of a huge batch is needed.
      return (await this.inFlight.track(command.call(this.client, keys, argv))) as T;
    } catch (error) {
      const match = REFUSAL.exec(error instanceof Error ? error.message : '');
      if (match) return { refused: match[1] as ScriptRefusal['refused'], args: (match[2] ?? '').split(' ').filter(Boolean).map(Number) };
      throw withoutCommandArgs(error);
    }
  }

  /**
   * The script and `WAIT` in one pipeline: one round trip, on one connection (`WAIT` counts the
   * replicas that hold every write of its own connection), and on a cluster to the node of the
   * keys' slot (ioredis sends a pipeline whole to the node of its keyed commands; `WAIT` has no
   * key and cannot run inside a script). A refusal wrote nothing: it is returned without
   * looking at `WAIT`. A reply is returned only once `WAIT` confirmed enough replicas.
   */
  private async runAndWait(script: RedisScript, keys: readonly string[], argv: readonly string[], wait: ReplicaWait): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      const pipeline = this.client.pipeline();
      // defineCommand adds the script to pipelines too, which ioredis' types cannot know about.
      const queued = (pipeline as unknown as Record<string, (keys: readonly string[], argv: readonly string[]) => unknown>)[script.name];
      if (!queued) throw new Error(`script ${script.name} is not registered on this client`);
      queued.call(pipeline, keys, argv);
      pipeline.wait(wait.replicas, wait.timeoutMs);
      const results = await this.inFlight.track(pipeline.exec());
      const [scriptResult, waitResult] = results ?? [];
      if (!scriptResult || !waitResult) throw new Error('the pipeline of a write and its WAIT returned no reply');
      const [scriptError, reply] = scriptResult;
      if (scriptError) {
        // After a failover ioredis retries a pipeline only when every command was redirected,
        // and WAIT (keyless) is answered by the old node: it would keep sending the pipeline
        // there. The script did not run on a redirect, so learn the new slot map and resend.
        if (attempt < 4 && this.client instanceof Cluster && /^(MOVED|ASK) /.test(scriptError.message)) {
          await refreshSlots(this.client);
          continue;
        }
        throw scriptError;
      }
      const [waitError, confirmed] = waitResult;
      checkReplicas(wait, waitError ?? confirmed);
      return reply;
    }
  }

  /** Sends plain commands (reads), watched like scripts. */
  async send<T>(request: Promise<T>): Promise<T> {
    try {
      return await this.inFlight.track(request);
    } catch (error) {
      throw withoutCommandArgs(error);
    }
  }
}

/** Resolves once the cluster client has re-read the slot map (concurrent calls share one refresh). */
function refreshSlots(cluster: Cluster): Promise<void> {
  return new Promise((resolve) => cluster.refreshSlotsCache(() => resolve()));
}

/**
 * ioredis attaches the failed command (with its arguments) to some errors; for the scripts
 * those arguments hold message texts and idempotency keys. Drop them from the error so logging
 * it (it becomes the cause of the store's error) never writes conversation content; the
 * command's name stays.
 */
export function withoutCommandArgs(error: unknown): unknown {
  if (!(error instanceof Error) || !('command' in error)) return error;
  const command = (error as { command?: { name?: unknown } }).command;
  Object.defineProperty(error, 'command', {
    value: { name: command?.name, args: '[redacted by @sessions/redis]' },
    enumerable: true,
    configurable: true,
    writable: true,
  });
  return error;
}
