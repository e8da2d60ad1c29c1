import type { RedisContext } from './context.js';

/** `ping`: one PING (on a cluster, to one of its nodes); throws when it fails. */
export async function ping(ctx: RedisContext): Promise<void> {
  await ctx.scripts.send(ctx.client.ping());
}
