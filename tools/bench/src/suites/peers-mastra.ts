import { openBackend, type OpenedBackend } from '../backends.js';
import { mastraBackends, openMastra, type MastraBackend, type OpenedMastra } from '../peers/mastra-stores.js';
import { manySessions, storeVersusPeer, type PeerPlan } from '../peers/peer-rows.js';
import { storeSide } from '../peers/store-side.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

/** Sizes per backend: DynamoDB Local (Java, sharing 2 cores) does a few hundred requests a second. */
function planFor(backend: MastraBackend, quick: boolean): { plan: PeerPlan; many: { sessions: number; perSession: number; runs: number } } {
  const slow = backend === 'dynamo';
  const runs = quick ? 3 : 5;
  const awaitedOps = slow ? (quick ? 40 : 200) : quick ? 200 : 1_000;
  return {
    plan: {
      backend,
      awaited: { ops: awaitedOps, runs },
      inFlight: { ops: slow ? (quick ? 64 : 320) : quick ? 400 : 2_000, runs, concurrency: 32 },
      lengths: quick ? [10, 1_000] : [10, 1_000, 10_000],
      // Reads of long threads: fewer ops (a peer that reads every message pays per message; Mastra's DynamoDB store reads ~10 MB per call at 10,000).
      readOptions: (length) =>
        length >= 10_000
          ? { ops: slow ? 5 : 50, runs: 3, warmup: 2 }
          : length >= 1_000
            ? { ops: Math.max(10, Math.round(awaitedOps / 10)), runs }
            : { ops: awaitedOps, runs },
    },
    many: slow ? { sessions: quick ? 10 : 50, perSession: quick ? 5 : 10, runs: 3 } : { sessions: quick ? 50 : 500, perSession: quick ? 10 : 50, runs: 3 },
  };
}

/**
 * Each store against Mastra's store for the same backend on the same server (or file):
 * Redis (`@mastra/redis`), PostgreSQL (`@mastra/pg`), SQLite (`@mastra/libsql` on a local file, against our
 * better-sqlite3 store), DynamoDB (`@mastra/dynamodb`) and in memory (`InMemoryStore`).
 * Scenarios 1, 2 and 6, as the LangChain peer suites run them. Mastra threads are
 * listed by resource, so there is no "cannot" row for listing.
 */
const suite: BenchSuite = {
  name: 'peers-mastra',
  needs: ['postgres', 'dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const backend of mastraBackends(context)) {
      let ours: OpenedBackend | undefined;
      let peer: OpenedMastra | undefined;
      try {
        ours = await openBackend(backend, context);
        peer = await openMastra(backend, context, 'bench-user');
        const { plan, many } = planFor(backend, context.quick);
        const side = storeSide(ours.storeName, ours.store, 'bench-user', backend === 'dynamo' ? 50 : 1_000);
        rows.push(...(await storeVersusPeer(side, peer.side, plan)));
        rows.push(await manySessions(side, peer.side, { backend, ...many }));
      } catch (error) {
        // One backend's peer failing to open (a server missing, a package at odds with Node 20) must not lose the others.
        rows.push({ kind: 'gap', scenario: SCENARIOS.appendAwaited, variant: `${backend}, vs peer`, subjectName: `Mastra (${backend})`, reason: `failed: ${error instanceof Error ? error.message : String(error)}` });
      } finally {
        await peer?.dispose().catch(() => undefined);
        await ours?.dispose().catch(() => undefined);
      }
    }
    return rows;
  },
};

export default suite;
