import { availableBackends, inParallel, openBackend } from '../backends.js';
import { compare } from '../measure.js';
import { SCENARIOS } from '../scenarios.js';
import type { BenchContext, BenchRow, BenchSuite } from '../suite.js';

const USER = 'bench-user';
const PAGE = 50;
const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * listSessions for a user with 10,000 sessions (1,000 with --quick; 2,000 on DynamoDB Local,
 * whose set-up writes are slow): the first page against a deep page (the one that starts
 * at the 9,001st session, reached with the keyset cursor), on every backend. A ratio near 1
 * means a deep page costs what the first one does (no OFFSET scan).
 */
const suite: BenchSuite = {
  name: 'listing',
  needs: ['redis', 'postgres', 'dynamo'],
  async run(context: BenchContext): Promise<BenchRow[]> {
    const rows: BenchRow[] = [];
    for (const name of availableBackends(context)) {
      const sessions = context.quick ? 1_000 : name === 'dynamo' ? 2_000 : 10_000;
      const backend = await openBackend(name, context);
      try {
        const { store } = backend;
        await inParallel(sessions, 16, (i) => store.createSession(USER, { sessionId: `s-${String(i).padStart(6, '0')}`, metadata: { title: `chat ${i}` } }));
        // Walk once to the page starting at 90 % of the sessions (a full page with more after
        // it, like the first page): its cursor is the deep page's.
        const deepStart = Math.floor((sessions * 0.9) / PAGE) * PAGE;
        let cursor: string | null = null;
        for (let seen = 0; seen < deepStart; seen += PAGE) {
          cursor = (await store.listSessions(USER, { limit: PAGE, cursor: cursor ?? undefined })).nextCursor;
        }
        if (!cursor) throw new Error(`listSessions gave no cursor before session ${deepStart}`);
        const deepCursor = cursor;
        const options = { ops: name === 'dynamo' || context.quick ? 30 : 200, runs: context.quick ? 3 : 5 };
        rows.push({
          scenario: SCENARIOS.list,
          variant: `${name}, ${fmt(sessions)} sessions, pages of ${PAGE}`,
          subjectName: `${backend.storeName}.listSessions, deep page (from #${fmt(deepStart + 1)})`,
          baselineName: 'the first page',
          aim: 0.8,
          note: 'listSessions pages with a keyset cursor ({updatedAt, id} of the last item), so a deep page starts from an index position instead of skipping the pages before it. No peer library lists sessions.',
          ...(await compare(
            () => store.listSessions(USER, { limit: PAGE, cursor: deepCursor }),
            () => store.listSessions(USER, { limit: PAGE }),
            options,
          )),
        });
      } finally {
        await backend.dispose();
      }
    }
    return rows;
  },
};

export default suite;
