// Measures this checkout's Redis and PostgreSQL stores against the same stores built from
// another checkout (an earlier revision), in one process, on the same servers, runs
// interleaved: the "before and after" of a change of shape.
//
//   git worktree add /tmp/before <revision> && (cd /tmp/before && npm ci && npx nx run-many -t build -p core redis postgres)
//   node tools/test-services/bin/with-services.mjs --services redis,postgres -- \
//     npx tsx --conditions=@sessions/source tools/bench/scripts/compare-revision.ts /tmp/before
//
// The earlier revision is loaded from its built `dist` with its own dependencies; its API is
// the 0.1 one (sync Redis fromUrl, migrate()). Prints one table of ratios (after ÷ before).
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { JsonObject, SessionStore } from '@sessions/core';
import { PostgresSessionStore } from '@sessions/postgres';
import { RedisSessionStore } from '@sessions/redis';
import { compare, type Comparison } from '../src/measure.js';

const before = process.argv[2];
if (!before) throw new Error('usage: compare-revision.ts <checkout of the earlier revision, built>');
const redisUrl = process.env['SESSIONS_REDIS_URL'];
const postgresUrl = process.env['SESSIONS_POSTGRES_URL'];
if (!redisUrl || !postgresUrl) throw new Error('run under with-services --services redis,postgres');

const load = async (pkg: string) => import(pathToFileURL(join(before, 'packages', pkg, 'dist', 'index.js')).href);
const oldRedis = await load('redis');
const oldPostgres = await load('postgres');
const tag = randomBytes(3).toString('hex');
const message: JsonObject = { role: 'assistant', content: 'x'.repeat(1000) };

const stores: { name: string; after: SessionStore; before: SessionStore }[] = [
  {
    name: 'redis',
    after: await RedisSessionStore.fromUrl(redisUrl, { keyPrefix: `after-${tag}:` }),
    before: oldRedis.RedisSessionStore.fromUrl(redisUrl, { keyPrefix: `before-${tag}:` }),
  },
];
const afterPg = await PostgresSessionStore.fromUrl(postgresUrl, { schema: `after_${tag}` });
await afterPg.setup();
const beforePg = await oldPostgres.PostgresSessionStore.fromUrl(postgresUrl, { schema: `before_${tag}` });
await beforePg.migrate();
stores.push({ name: 'postgres', after: afterPg, before: beforePg });

const rows: string[] = [];
const row = (backend: string, scenario: string, c: Comparison) =>
  rows.push(`| ${backend} | ${scenario} | ${Math.round(c.baseline.opsPerSec)} | ${Math.round(c.subject.opsPerSec)} | ${c.ratio.toFixed(2)} | ${(c.baseline.spread * 100).toFixed(0)} % / ${(c.subject.spread * 100).toFixed(0)} % |`);
for (const { name, after, before: old } of stores) {
  // Append one 1 KB message, awaited one at a time, to one session per store.
  row(name, 'append 1', await compare((i) => after.append('u', 'append', message, { idempotencyKey: `k${i}` }), (i) => old.append('u', 'append', message, { idempotencyKey: `k${i}` }), { ops: 2000, runs: 5 }));
  // Last 20 of a 1,000-message session.
  const batch = Array.from({ length: 100 }, () => message);
  for (let i = 0; i < 10; i++) {
    await after.append('u', 'read', batch);
    await old.append('u', 'read', batch);
  }
  row(name, 'last 20 of 1,000', await compare(() => after.getMessages('u', 'read', { limit: 20 }), () => old.getMessages('u', 'read', { limit: 20 }), { ops: 2000, runs: 5 }));
  await after.deleteUser('u');
  await old.deleteUser('u');
  await after.close();
  await old.close();
}
process.stdout.write(['| backend | scenario | before ops/s | after ops/s | after ÷ before | spread before / after |', '|---|---|---:|---:|---:|---|', ...rows].join('\n') + '\n');
