// RedisSessionStore.append against its floor (ioredis RPUSH) and its peer (LangChain's ioredis
// chat history), awaited one at a time and 32 in flight, runs interleaved, repeated `rounds`
// times so the spread on a loaded machine shows; then the server's view of one append
// (`INFO commandstats` per call). `profile` runs only the store's append loop, for `--cpu-prof`.
// `ab <file.lua> [rounds]` compares this checkout's append with the same store running another
// append script (an earlier revision's, dumped to a file; same arguments), runs interleaved.
// `cpu [rounds] [earlier redis-session-store.ts]` splits the cost of one awaited append into
// client CPU (`process.cpuUsage`) and server CPU (`INFO cpu`), for the store, RPUSH, LangChain and
// optionally an earlier checkout's store (e.g. `git archive <rev> packages/redis | tar -x -C /tmp/x`
// with `/tmp/x/node_modules` linked to this checkout's), rounds interleaved.
// `versus <earlier redis-session-store.ts> [rounds]`: throughput of this checkout's append against
// the earlier checkout's and both against RPUSH, awaited and 32 in flight, runs interleaved.
//
//   node tools/test-services/bin/with-services.mjs --services redis -- \
//     npx tsx --conditions=@sessions/source tools/bench/scripts/append-redis.ts [rounds]
//   node tools/test-services/bin/with-services.mjs --services redis -- \
//     node --cpu-prof --cpu-prof-dir=/tmp/prof --conditions=@sessions/source --import tsx tools/bench/scripts/append-redis.ts profile [appends]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RedisChatMessageHistory } from '@langchain/community/stores/message/ioredis';
import { RedisSessionStore } from '@sessions/redis';
import { Redis } from 'ioredis';
import { compare, kilobyteMessage, type MeasureOptions } from '../src/measure.js';
import { kilobyteChatMessage } from '../src/peers/langchain-messages.js';

const url = process.env['SESSIONS_REDIS_URL'];
if (!url) throw new Error('run under with-services --services redis');
const print = (line: string): void => void process.stdout.write(`${line}\n`);
const tag = randomBytes(3).toString('hex');
const raw = new Redis(url);
const store = new RedisSessionStore({ client: new Redis(url, { autoResendUnfulfilledCommands: false }), keyPrefix: `bench-append:${tag}:` });
const peerClient = new Redis(url);

try {
  if (process.argv[2] === 'profile') {
    // `profile [appends] [rpush]`: the store's append loop, or the same loop of bare RPUSHes.
    const appends = Number(process.argv[3] ?? 20_000);
    const rpush = process.argv[4] === 'rpush';
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    for (let i = 0; i < appends; i++) {
      if (rpush) await raw.rpush(`bench-raw:${tag}:profile`, JSON.stringify(kilobyteMessage(i)));
      else await store.append('u', 'profile', kilobyteMessage(i));
    }
    const used = process.cpuUsage(cpu);
    const wallUs = Number(process.hrtime.bigint() - started) / 1e3;
    print(`${appends} ${rpush ? 'RPUSH' : 'appends'}: ${(wallUs / appends).toFixed(1)} µs wall, ${((used.user + used.system) / appends).toFixed(1)} µs client CPU (user ${(used.user / appends).toFixed(1)}, system ${(used.system / appends).toFixed(1)}) per call`);
  } else if (process.argv[2] === 'ab') {
    const lua = readFileSync(process.argv[3] ?? '', 'utf8');
    const rounds = Number(process.argv[4] ?? 3);
    const beforeClient = new Redis(url, { autoResendUnfulfilledCommands: false });
    const before = new RedisSessionStore({ client: beforeClient, keyPrefix: `bench-append:${tag}:` });
    // The same store over a client whose append command runs the other script.
    beforeClient.defineCommand('sessionsAppend', { numberOfKeys: 4, lua });
    print('| round | mode | after ÷ before | after ÷ RPUSH | before ÷ RPUSH |');
    print('|---|---|---:|---:|---:|');
    try {
      for (let round = 1; round <= rounds; round++) {
        for (const [mode, options] of [
          ['awaited', { ops: 2_000, runs: 5 }],
          ['32 in flight', { ops: 6_000, runs: 5, concurrency: 32 }],
        ] as [string, MeasureOptions][]) {
          const after = (i: number) => store.append('u', `ab-${mode}`, kilobyteMessage(i));
          const old = (i: number) => before.append('u', `ab-old-${mode}`, kilobyteMessage(i));
          const rpush = (i: number) => raw.rpush(`bench-raw:${tag}:ab`, JSON.stringify(kilobyteMessage(i)));
          const ab = await compare(after, old, options);
          const a = await compare(after, rpush, options);
          const b = await compare(old, rpush, options);
          print(`| ${round} | ${mode} | ${ab.ratio.toFixed(3)} | ${a.ratio.toFixed(3)} | ${b.ratio.toFixed(3)} |`);
        }
      }
    } finally {
      await beforeClient.quit();
    }
  } else if (process.argv[2] === 'versus') {
    await versus(process.argv[3] ?? '', Number(process.argv[4] ?? 3));
  } else if (process.argv[2] === 'cpu') {
    await cpuSplit(Number(process.argv[3] ?? 4), process.argv[4]);
  } else {
    const rounds = Number(process.argv[2] ?? 3);
    const histories = new Map<string, RedisChatMessageHistory>();
    const peer = (session: string) => {
      let h = histories.get(session);
      if (!h) histories.set(session, (h = new RedisChatMessageHistory({ sessionId: `bench-lc:${tag}:${session}`, client: peerClient })));
      return h;
    };
    const cases: [string, MeasureOptions][] = [
      ['awaited', { ops: 2_000, runs: 5 }],
      ['32 in flight', { ops: 6_000, runs: 5, concurrency: 32 }],
    ];
    print('| round | mode | store ÷ RPUSH | store ÷ LangChain | store ops/s | RPUSH ops/s | LangChain ops/s |');
    print('|---|---|---:|---:|---:|---:|---:|');
    for (let round = 1; round <= rounds; round++) {
      for (const [mode, options] of cases) {
        const session = `s-${mode.replace(/ /g, '')}`;
        const ours = (i: number) => store.append('u', session, kilobyteMessage(i));
        const floor = await compare(ours, (i) => raw.rpush(`bench-raw:${tag}:${session}`, JSON.stringify(kilobyteMessage(i))), options);
        const versus = await compare(ours, (i) => peer(session).addMessage(kilobyteChatMessage(i)), options);
        print(
          `| ${round} | ${mode} | ${floor.ratio.toFixed(3)} | ${versus.ratio.toFixed(3)} | ${Math.round(floor.subject.opsPerSec)} | ${Math.round(floor.baseline.opsPerSec)} | ${Math.round(versus.baseline.opsPerSec)} |`,
        );
      }
    }
    await raw.config('RESETSTAT');
    for (let i = 0; i < 1_000; i++) await store.append('u', 'stats', kilobyteMessage(i));
    const stats = (await raw.info('commandstats')).split('\n').filter((line) => /calls=/.test(line));
    print('\nINFO commandstats over 1,000 awaited appends:');
    for (const line of stats) print(`  ${line.trim()}`);
  }
} finally {
  const keys = [...(await raw.keys(`bench-append:${tag}:*`)), ...(await raw.keys(`bench-raw:${tag}:*`)), ...(await raw.keys(`bench-lc:${tag}:*`))];
  if (keys.length) await raw.del(...keys);
  await Promise.all([raw.quit(), store.close(), store.client.quit(), peerClient.quit()]);
}

/** Client and server CPU per awaited append, medians over `rounds` interleaved rounds (see the header). */
async function cpuSplit(rounds: number, earlier: string | undefined): Promise<void> {
  const admin = new Redis(url ?? '');
  const serverCpuUs = async (): Promise<number> => {
    const info = await admin.info('cpu');
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
    return (field('used_cpu_user') + field('used_cpu_sys')) * 1e6;
  };
  const lcClient = new Redis(url ?? '');
  const lc = new RedisChatMessageHistory({ sessionId: `bench-lc:${tag}:cpu`, client: lcClient });
  const sides: [string, (i: number) => Promise<unknown>][] = [
    ['RedisSessionStore (this checkout)', (i) => store.append('u', 'cpu', kilobyteMessage(i))],
    ['ioredis RPUSH', (i) => raw.rpush(`bench-raw:${tag}:cpu`, JSON.stringify(kilobyteMessage(i)))],
    ['LangChain RedisChatMessageHistory.addMessage', (i) => lc.addMessage(kilobyteChatMessage(i))],
  ];
  let earlierStore: RedisSessionStore | undefined;
  if (earlier) {
    const { RedisSessionStore: Earlier } = (await import(earlier)) as { RedisSessionStore: typeof RedisSessionStore };
    earlierStore = new Earlier({ client: new Redis(url ?? '', { autoResendUnfulfilledCommands: false }), keyPrefix: `bench-append:${tag}:old:` });
    const old = earlierStore;
    sides.push(['RedisSessionStore (earlier checkout)', (i) => old.append('u', 'cpu', kilobyteMessage(i))]);
  }
  const calls = 5_000;
  const figures = new Map<string, { client: number[]; server: number[]; wall: number[] }>();
  try {
    for (let round = 0; round <= rounds; round++) {
      for (const [name, op] of round % 2 ? [...sides].reverse() : sides) {
        const server = await serverCpuUs();
        const client = process.cpuUsage();
        const started = process.hrtime.bigint();
        for (let i = 0; i < calls; i++) await op(round * calls + i);
        const wall = Number(process.hrtime.bigint() - started) / 1e3 / calls;
        const used = process.cpuUsage(client);
        const serverUsed = (await serverCpuUs()) - server;
        if (round === 0) continue; // warm-up
        const f = figures.get(name) ?? { client: [], server: [], wall: [] };
        f.client.push((used.user + used.system) / calls);
        f.server.push(serverUsed / calls);
        f.wall.push(wall);
        figures.set(name, f);
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? Number.NaN;
    const cell = (v: number[]) => `${median(v).toFixed(1)} (${Math.min(...v).toFixed(1)}-${Math.max(...v).toFixed(1)})`;
    print(`awaited 1 KB appends, ${calls} calls per round, ${rounds} rounds: µs per call, median (range)`);
    print('| side | client CPU | server CPU | wall |');
    print('|---|---:|---:|---:|');
    for (const [name, f] of figures) print(`| ${name} | ${cell(f.client)} | ${cell(f.server)} | ${cell(f.wall)} |`);
  } finally {
    await lc.clear();
    await earlierStore?.deleteUser('u');
    await earlierStore?.client.quit();
    await Promise.all([admin.quit(), lcClient.quit()]);
  }
}

/** This checkout's append against an earlier checkout's (see the header). */
async function versus(earlier: string, rounds: number): Promise<void> {
  const { RedisSessionStore: Earlier } = (await import(earlier)) as { RedisSessionStore: typeof RedisSessionStore };
  const old = new Earlier({ client: new Redis(url ?? '', { autoResendUnfulfilledCommands: false }), keyPrefix: `bench-append:${tag}:old:` });
  print('| round | mode | this ÷ earlier | this ÷ RPUSH | earlier ÷ RPUSH |');
  print('|---|---|---:|---:|---:|');
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const [mode, options] of [
        ['awaited', { ops: 2_000, runs: 5 }],
        ['32 in flight', { ops: 6_000, runs: 5, concurrency: 32 }],
      ] as [string, MeasureOptions][]) {
        const ours = (i: number) => store.append('u', `versus-${mode}`, kilobyteMessage(i));
        const theirs = (i: number) => old.append('u', `versus-${mode}`, kilobyteMessage(i));
        const rpush = (i: number) => raw.rpush(`bench-raw:${tag}:versus`, JSON.stringify(kilobyteMessage(i)));
        const a = await compare(ours, theirs, options);
        const b = await compare(ours, rpush, options);
        const c = await compare(theirs, rpush, options);
        print(`| ${round} | ${mode} | ${a.ratio.toFixed(3)} | ${b.ratio.toFixed(3)} | ${c.ratio.toFixed(3)} |`);
      }
    }
  } finally {
    await old.deleteUser('u');
    await old.client.quit();
  }
}
