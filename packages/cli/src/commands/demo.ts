import { isSessionStoreError, type JsonObject, type SessionStore } from '@sessions/core';
import { SECOND_USER_SESSIONS, SUPPORT_SCRIPT } from '../demo/support-script.js';
import { summarizeMessage, table, type Output } from '../output.js';

const ALICE = 'demo-alice';
const BOB = 'demo-bob';

/**
 * `sessions demo`: the project's main job end to end on any store. Three agents share one
 * session over several turns, a second user keeps their own sessions, the conversation is
 * forked, then the history is listed and exported. Each run adds a new ticket, so a second run
 * on a persistent store shows the first run's data too.
 */
export async function demoCommand(store: SessionStore, out: Output): Promise<void> {
  const earlier = await store.listSessions(ALICE, { limit: 1000 });
  // Tickets only: each run also adds a fork (`ticket-<n>-what-if`).
  const run = earlier.items.filter((s) => /^ticket-\d+$/.test(s.id)).length + 1;
  const ticket = `ticket-${run}`;
  out.line(`sessions demo, run #${run} on the ${store.backend} store`);
  out.line(run > 1 ? `  ${earlier.items.length} sessions of ${ALICE} are already stored from earlier runs` : '  an empty store: first run');
  out.line();

  // 1. Three agents take turns on one shared session; each reads the history before writing.
  await store.createSession(ALICE, { sessionId: ticket, metadata: { channel: 'chat', product: 'Acme Cloud', run } });
  out.line(`== ${ALICE} opens ${ticket}; agents triage, billing and technical share it`);
  for (const [i, step] of SUPPORT_SCRIPT.entries()) {
    const seen = await store.getMessages(ALICE, ticket, { limit: 50 });
    const { firstSeq, lastSeq } = await store.append(ALICE, ticket, step.items, {
      expectedLastSeq: seen.at(-1)?.seq ?? 0,
      idempotencyKey: `${ticket}-step-${i}`,
    });
    out.line(`  [${step.actor}] ${step.caption} (read ${seen.length} items, wrote seq ${firstSeq}..${lastSeq})`);
  }

  // 2. A retry after a lost reply writes nothing; a stale writer gets CONFLICT.
  const retry = await store.append(ALICE, ticket, SUPPORT_SCRIPT[0]!.items, { idempotencyKey: `${ticket}-step-0` });
  out.line(`  retry of step 0 with the same idempotency key: duplicate=${retry.duplicate}, nothing written`);
  let conflict = 'none';
  try {
    await store.append(ALICE, ticket, { type: 'message', role: 'assistant', agent: 'triage', content: 'stale' }, { expectedLastSeq: 1 });
  } catch (error) {
    if (!isSessionStoreError(error, 'CONFLICT')) throw error;
    conflict = error.code;
  }
  out.line(`  a writer holding a stale view (expectedLastSeq 1) is refused: ${conflict}`);
  out.line();

  // 3. The transcript, read back in seq order.
  const session = await store.getSession(ALICE, ticket);
  out.line(`== transcript of ${ticket} (${session?.messageCount} items)`);
  for (const m of session?.messages ?? []) out.line(`  #${String(m.seq).padStart(2)} ${summarizeMessage(m.message as JsonObject, 90)}`);
  out.line();

  // 4. A second user: their own sessions, isolated from the first user's.
  for (const s of SECOND_USER_SESSIONS) {
    await store.getOrCreateSession(BOB, s.sessionId);
    if ((await store.getMessages(BOB, s.sessionId, { limit: 1 })).length === 0) await store.append(BOB, s.sessionId, s.items);
  }
  const bobSees = await store.getSession(BOB, ticket);
  out.line(`== ${BOB} has ${SECOND_USER_SESSIONS.length} sessions of his own; ${ticket} under ${BOB}: ${bobSees ? 'FOUND (isolation broken!)' : 'not found'}`);

  // 5. Fork: replay the ticket as if the customer had not followed up (before seq of step 3).
  const followUpSeq = (session?.messages.find((m) => m.message['content'] === SUPPORT_SCRIPT[3]!.items[0]!['content'])?.seq ?? 1) - 1;
  const fork = await store.forkSession(ALICE, ticket, { newSessionId: `${ticket}-what-if`, uptoSeq: followUpSeq, metadata: { note: 'what if billing had answered everything' } });
  await store.append(ALICE, fork.id, { type: 'message', role: 'assistant', agent: 'billing', content: 'Anything else I can help with?' });
  const forked = await store.getMessages(ALICE, fork.id);
  out.line(`== fork ${fork.id}: the first ${followUpSeq} items with their seqs, then a new branch (seq ${forked.at(-1)?.seq}); forkedFrom ${JSON.stringify(fork.metadata['forkedFrom'])}`);
  out.line();

  // 6. What is stored now.
  const listing = await store.listSessions(ALICE, { limit: 1000 });
  out.line(`== ${ALICE}'s sessions, newest first`);
  out.line(
    table(
      ['session', 'messages', 'lastSeq', 'updated'],
      listing.items.map((s) => [s.id, String(s.messageCount), String(s.lastSeq), s.updatedAt.toISOString()]),
    ).replace(/^/gm, '  '),
  );
  out.line();

  // 7. Export, streamed as JSON Lines (the same format `sessions export` writes).
  const { exportSessions } = await import('@sessions/core');
  let lines = 0;
  let bytes = 0;
  let first = '';
  // Each chunk holds one or more whole lines.
  for await (const chunk of exportSessions(store, { userIds: [ALICE, BOB] })) {
    if (lines === 0) first = chunk.slice(0, chunk.indexOf('\n'));
    lines += chunk.split('\n').length - 1;
    bytes += Buffer.byteLength(chunk);
  }
  out.line(`== export of both users: ${lines} JSON Lines, ${bytes} bytes; header ${first}`);
  out.line(run === 1 ? 'Run it again: the next run finds this one\'s data in the store.' : `This store now holds ${listing.items.length} sessions of ${ALICE} across ${run} runs.`);
  out.result({ run, ticket, messages: session?.messageCount ?? 0, fork: fork.id, aliceSessions: listing.items.length, exportLines: lines, isolated: bobSees === null });
}
