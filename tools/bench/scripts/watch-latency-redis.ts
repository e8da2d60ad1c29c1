// The delay from an append in one process to the change reaching a watcher in another, over
// RedisSessionStore on one server and on a 3-master cluster: p50 / p90 / p99 / max.
//
//   node tools/test-services/bin/with-services.mjs --services redis,cluster -- \
//     npx tsx --conditions=@sessions/source tools/bench/scripts/watch-latency-redis.ts [appends] [gapMs]
//
// A writer process appends `appends` messages (default 300) one at a time, `gapMs` apart
// (default 10, so each append is its own change rather than one batch of many), each carrying
// the monotonic clock (`process.hrtime`, CLOCK_MONOTONIC: one clock for every process of the
// machine) read just before its append call. The watcher (this process, `pollIntervalMs` far
// beyond the run, so only notifications wake it) reads the same clock when the message comes
// out of its watch loop. The delay so counts: the append's round trip, the publish, the
// subscriber's wake-up, and the watcher's re-read (record, then messages: two round trips).
// The first 20 appends warm up and are left out.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { JsonObject } from '@sessions/core';
import { RedisSessionStore } from '@sessions/redis';

const WARMUP = 20;
const print = (line: string): void => void process.stdout.write(`${line}\n`);
const nowUs = (): number => Number(process.hrtime.bigint() / 1000n);

if (process.argv[2] === 'writer') {
  const [url, keyPrefix, userId, sessionId, countText, gapText] = process.argv.slice(3);
  if (!url || !keyPrefix || !userId || !sessionId) throw new Error('writer <url> <keyPrefix> <userId> <sessionId> <count> <gapMs>');
  const store = await RedisSessionStore.fromUrl(url, { keyPrefix });
  try {
    for (let i = 0; i < Number(countText); i++) {
      await new Promise((resolve) => setTimeout(resolve, Number(gapText)));
      await store.append(userId, sessionId, { role: 'user', content: 'x'.repeat(200), i, sentUs: nowUs() });
    }
  } finally {
    await store.close();
  }
} else {
  const appends = Number(process.argv[2] ?? 300);
  const gapMs = Number(process.argv[3] ?? 10);
  const targets: [string, string | undefined][] = [
    ['one server', process.env['SESSIONS_REDIS_URL']],
    ['3-master cluster', process.env['SESSIONS_REDIS_CLUSTER_NODES'] ? `redis+cluster://${process.env['SESSIONS_REDIS_CLUSTER_NODES']}` : undefined],
  ];
  print(`append in one process → change in a watcher in another: ${appends} appends (first ${WARMUP} left out), ${gapMs} ms apart`);
  print('| target | p50 ms | p90 ms | p99 ms | max ms | n |');
  print('|---|---:|---:|---:|---:|---:|');
  for (const [name, url] of targets) {
    if (!url) {
      print(`| ${name} | (no server: set ${name === 'one server' ? 'SESSIONS_REDIS_URL' : 'SESSIONS_REDIS_CLUSTER_NODES'}) | | | | |`);
      continue;
    }
    const delays = await measure(url, appends, gapMs);
    const at = (q: number) => (delays[Math.min(delays.length - 1, Math.floor(q * delays.length))] ?? Number.NaN).toFixed(2);
    print(`| ${name} | ${at(0.5)} | ${at(0.9)} | ${at(0.99)} | ${at(1)} | ${delays.length} |`);
  }
}

/** Delays in ms, sorted, of the appends after the warm-up. */
async function measure(url: string, appends: number, gapMs: number): Promise<number[]> {
  const keyPrefix = `bench-watch:${randomBytes(4).toString('hex')}:`;
  const store = await RedisSessionStore.fromUrl(url, { keyPrefix });
  const controller = new AbortController();
  const delays: number[] = [];
  try {
    const watched = (async () => {
      for await (const change of store.watch('watcher', 'live', { pollIntervalMs: 3_600_000, signal: controller.signal })) {
        if (change.type !== 'appended') continue;
        const receivedUs = nowUs();
        for (const { message } of change.messages) {
          const { i, sentUs } = message as JsonObject & { i: number; sentUs: number };
          if (i >= WARMUP) delays.push((receivedUs - sentUs) / 1000);
          if (i === appends - 1) return;
        }
      }
    })();
    await writer(url, keyPrefix, appends, gapMs);
    await watched;
  } finally {
    controller.abort();
    await store.deleteUser('watcher');
    await store.close();
  }
  return delays.sort((a, b) => a - b);
}

function writer(url: string, keyPrefix: string, appends: number, gapMs: number): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@sessions/source', '--import', 'tsx', script, 'writer', url, keyPrefix, 'watcher', 'live', String(appends), String(gapMs)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the writer exited with ${code}`))));
  });
}
