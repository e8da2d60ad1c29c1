import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { exportSessions, InMemorySessionStore } from '../src/index.js';

/** Forces a full GC when the runtime allows it, so the baseline holds only live data. */
function collect(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

/** What {@link measureExportHeap} saw. */
export interface ExportHeapResult {
  sessions: number;
  exportedBytes: number;
  /** Highest `heapUsed` seen during the export minus `heapUsed` just before it. */
  peakGrowth: number;
  ms: number;
}

/**
 * Fills a store with `count` small messages (in sessions of 10,000 across 10 users), then
 * exports it while discarding the text, sampling `heapUsed` after every yielded chunk (a page of lines).
 */
export async function measureExportHeap(count: number, perSession = 10_000): Promise<ExportHeapResult> {
  const store = new InMemorySessionStore();
  const batch = 1000;
  let sessions = 0;
  for (let written = 0; written < count; ) {
    const sessionId = `s${sessions++}`;
    const userId = `u${sessions % 10}`;
    for (let inSession = 0; inSession < perSession && written < count; ) {
      const size = Math.min(batch, perSession - inSession, count - written);
      await store.append(userId, sessionId, Array.from({ length: size }, (_, i) => ({ role: 'user', content: `message ${written + i}` })));
      inSession += size;
      written += size;
    }
  }
  collect();
  const baseline = process.memoryUsage().heapUsed;
  let peak = baseline;
  let exportedBytes = 0;
  const started = performance.now();
  for await (const text of exportSessions(store, { pageSize: 1000 })) {
    exportedBytes += Buffer.byteLength(text);
    const used = process.memoryUsage().heapUsed;
    if (used > peak) peak = used;
  }
  const ms = performance.now() - started;
  await store.close();
  return { sessions, exportedBytes, peakGrowth: peak - baseline, ms };
}
