import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { importSessions, writeExport, type ExportEndLine, type ExportHeaderLine, type ExportMessageLine, type ExportSessionLine } from '@sessions/core';
import { availableBackends, openBackend, type BackendName } from '../backends.js';
import { figureOf, kilobyteMessage } from '../measure.js';
import { withMemoryPeak } from '../memory-peak.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite, Figure } from '../suite.js';

const MB = 2 ** 20;
const fmt = (n: number) => n.toLocaleString('en-US');

/** How many sessions of how many messages each backend moves, and how many times. */
interface Size {
  sessions: number;
  perSession: number;
  runs: number;
}

function sizeFor(name: BackendName, quick: boolean): Size {
  if (quick) return { sessions: name === 'dynamo' ? 5 : 20, perSession: 1_000, runs: 2 };
  // DynamoDB Local (Java, sharing 2 cores with the bench) writes a few thousand items a second.
  if (name === 'dynamo') return { sessions: 20, perSession: 1_000, runs: 2 };
  return { sessions: 1_000, perSession: 1_000, runs: 2 };
}

/** Writes an export file of `sessions` x `perSession` 1 KB messages, 10 users, in the export format. */
async function writeSourceFile(path: string, { sessions, perSession }: Size): Promise<void> {
  const out = createWriteStream(path);
  const at = new Date().toISOString();
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const header: ExportHeaderLine = { format: '@sessions/export', version: 1, exportedAt: at };
  await write(JSON.stringify(header) + '\n');
  for (let s = 0; s < sessions; s++) {
    const session: ExportSessionLine = { type: 'session', userId: `user-${s % 10}`, id: `session-${s}`, metadata: {}, createdAt: at, updatedAt: at, expiresAt: null, lastSeq: perSession };
    let chunk = JSON.stringify(session) + '\n';
    for (let seq = 1; seq <= perSession; seq++) {
      const line: ExportMessageLine = { type: 'message', seq, createdAt: at, message: kilobyteMessage(s * perSession + seq) };
      chunk += JSON.stringify(line) + '\n';
    }
    await write(chunk);
  }
  const end: ExportEndLine = { type: 'end', sessions, messages: sessions * perSession };
  await write(JSON.stringify(end) + '\n');
  out.end();
  await once(out, 'finish');
}

interface RunFigures {
  perSec: number;
  rssMB: number;
  heapMB: number;
}

const figures = (runs: RunFigures[]): Record<string, Figure> => ({
  'messages/s': figureOf(runs.map((r) => r.perSec)),
  'peak RSS above start, MB': figureOf(runs.map((r) => r.rssMB)),
  'peak heap above start, MB': figureOf(runs.map((r) => r.heapMB)),
});

/**
 * Scenario 4: importSessions of a JSON Lines file into an empty store, then writeExport of that
 * store to a file, on every backend: messages per second and the peak memory of this process
 * above what it held at the start (sampled every 20 ms). 1,000,000 messages (1,000 sessions x
 * 1,000) on memory, Redis and PostgreSQL; 20,000 on DynamoDB Local.
 */
const suite: BenchSuite = {
  name: 'transfer',
  needs: ['redis', 'postgres', 'dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    const dir = await mkdtemp(join(tmpdir(), 'sessions-bench-'));
    const rows: BenchRow[] = [];
    const written = new Set<string>();
    try {
      for (const name of availableBackends(context)) {
        const size = sizeFor(name, context.quick);
        const total = size.sessions * size.perSession;
        const source = join(dir, `source-${size.sessions}x${size.perSession}.jsonl`);
        if (!written.has(source)) {
          await writeSourceFile(source, size);
          written.add(source);
        }
        const imports: RunFigures[] = [];
        const exports: RunFigures[] = [];
        let storeName = '';
        for (let run = 0; run < size.runs; run++) {
          const backend = await openBackend(name, context);
          storeName = backend.storeName;
          try {
            let started = performance.now();
            const imported = await withMemoryPeak(() => importSessions(backend.store, createReadStream(source)));
            if (imported.result.messages !== total) throw new Error(`import wrote ${imported.result.messages} messages, expected ${total}`);
            imports.push({ perSec: total / ((performance.now() - started) / 1000), rssMB: imported.peak.rssBytes / MB, heapMB: imported.peak.heapBytes / MB });
            const target = createWriteStream(join(dir, 'export.jsonl'));
            started = performance.now();
            const exported = await withMemoryPeak(() => writeExport(backend.store, target));
            const ms = performance.now() - started;
            target.end();
            await once(target, 'finish');
            if (exported.result.messages !== total) throw new Error(`export read ${exported.result.messages} messages, expected ${total}`);
            exports.push({ perSec: total / (ms / 1000), rssMB: exported.peak.rssBytes / MB, heapMB: exported.peak.heapBytes / MB });
            process.stdout.write(`transfer ${name} run ${run + 1}: import ${fmt(Math.round(imports[run]?.perSec ?? 0))}/s, export ${fmt(Math.round(total / (ms / 1000)))}/s\n`);
          } finally {
            await backend.dispose();
          }
        }
        const variant = `${name}, ${fmt(total)} messages (${fmt(size.sessions)} sessions), ${size.runs} runs`;
        const note =
          'importSessions reads the file as a stream and writes with restoreSession + restoreMessages in batches of 500; writeExport pages through listUsers, listSessions and getMessages (pages of 1,000). Peak memory is this process\'s, above its level at the start: it stays at about a page whatever the size, except for InMemorySessionStore, whose heap is the data itself.';
        rows.push({ kind: 'figures', scenario: SCENARIOS.transfer, variant, subjectName: `importSessions → ${storeName}`, figures: figures(imports), note });
        rows.push({ kind: 'figures', scenario: SCENARIOS.transfer, variant, subjectName: `writeExport ← ${storeName}`, figures: figures(exports), note });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return rows;
  },
};

export default suite;
