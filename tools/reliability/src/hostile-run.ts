import { isSessionStoreError, type JsonObject, type SessionStore } from '@sessions/core';
import { canonicalJson, expectedJson } from './canonical-json.js';
import { HOSTILE_IDS } from './hostile-ids.js';
import { HOSTILE_MESSAGES, type Verdict } from './hostile-messages.js';

/** The user whose data no hostile input may reach. */
export const VICTIM_USER = 'victim';
/** The victim's session; several hostile ids imitate it. */
export const VICTIM_SESSION = 'chat-1';
const ATTACKER = 'attacker';

/** Figures of one corpus run on one backend. */
export interface HostileOutcome {
  tried: number;
  accepted: number;
  rejected: number;
  /** One line per input that was neither stored exactly nor rejected cleanly, or that reached the victim. */
  problems: string[];
}

/** Counts the raw records of the store's namespace with the driver (`null` when there is nothing beneath the store). */
export type RawCounter = () => Promise<number | null>;

type Outcome = { ok: true } | { ok: false; code: string };

async function attempt(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    await call();
    return { ok: true };
  } catch (error) {
    return { ok: false, code: isSessionStoreError(error) ? error.code : `raw ${error instanceof Error ? error.name : typeof error}: ${String(error).slice(0, 120)}` };
  }
}

/**
 * Sends every hostile id (as a user id and as a session id) and every hostile message (alone
 * and inside a batch with a good one) through `store`. Checks: legal inputs are stored and
 * read back exactly, the rest are rejected with INVALID_ARGUMENT / TOO_LARGE and leave the raw
 * record count unchanged; the victim's session stays as it was and is never listed or read
 * under another user; no prototype is polluted.
 */
export async function runHostileCorpus(store: SessionStore, rawCount: RawCounter): Promise<HostileOutcome> {
  const out: HostileOutcome = { tried: 0, accepted: 0, rejected: 0, problems: [] };
  const problem = (line: string) => out.problems.push(line);
  await store.append(VICTIM_USER, VICTIM_SESSION, [{ role: 'user', text: 'secret' }, { role: 'assistant', text: 'reply' }]);
  const victimBefore = expectedJson(await store.getSession(VICTIM_USER, VICTIM_SESSION));

  /** Runs `write`; a rejection must carry `code` and leave the raw records unchanged. */
  // The raw count after the last rejection: still valid before the next write when nothing was
  // accepted since (a rejected write must not change it), which halves the raw reads.
  let known: number | null | undefined;
  const rejectedCleanly = async (label: string, write: () => Promise<unknown>, expected: string): Promise<boolean> => {
    const before = known === undefined ? await rawCount() : known;
    const result = await attempt(write);
    if (result.ok) {
      known = undefined;
      return false;
    }
    out.rejected++;
    if (result.code !== expected) problem(`${label}: rejected with ${result.code}, expected ${expected}`);
    known = await rawCount();
    if (known !== before) problem(`${label}: rejected but the raw record count went from ${before} to ${known}`);
    return true;
  };

  for (const id of HOSTILE_IDS) {
    for (const role of ['userId', 'sessionId'] as const) {
      out.tried++;
      const label = `${role} ${id.label}`;
      const [user, session] = role === 'userId' ? [id.value, 's1'] : [ATTACKER, id.value];
      const message = { role: 'user', text: label };
      if (await rejectedCleanly(label, () => store.append(user, session, message), 'INVALID_ARGUMENT')) {
        if (id.legal) problem(`${label}: a legal id was rejected`);
        continue;
      }
      out.accepted++;
      if (!id.legal) problem(`${label}: an illegal id was accepted`);
      const trimmedUser = user.trim();
      const trimmedSession = session.trim();
      const got = await store.getSession(user, session);
      if (!got || got.userId !== trimmedUser || got.id !== trimmedSession) problem(`${label}: read back as ${got ? `${got.userId}/${got.id}` : 'null'}`);
      else if (canonicalJson(got.messages.map((m) => m.message)) !== canonicalJson([message])) problem(`${label}: messages read back differently`);
      const listed = await store.listSessions(user);
      if (listed.items.map((s) => s.id).join('\n') !== trimmedSession) problem(`${label}: listSessions shows ${listed.items.length} sessions`);
      if ((await store.getSession(user, VICTIM_SESSION)) !== null) problem(`${label}: the victim's session id is visible under this user`);
      if (role === 'userId') {
        const users: string[] = [];
        for await (const u of store.listUsers()) users.push(u);
        if (!users.includes(trimmedUser)) problem(`${label}: listUsers does not list the user`);
        if ((await store.deleteUser(user)) !== 1) problem(`${label}: deleteUser did not delete exactly its one session`);
      } else if (!(await store.deleteSession(user, session))) problem(`${label}: deleteSession found nothing`);
    }
  }

  let n = 0;
  for (const entry of HOSTILE_MESSAGES) {
    for (const batch of [false, true]) {
      out.tried++;
      const label = `message ${entry.label}${batch ? ' (in a batch after a good one)' : ''}`;
      const session = `m${n++}`;
      const value = entry.make();
      const payload = (batch ? [{ role: 'user', text: 'good' }, value] : value) as JsonObject | JsonObject[];
      const verdict: Verdict = entry.expected;
      if (await rejectedCleanly(label, () => store.append(ATTACKER, session, payload), verdict === 'stored' ? 'none' : verdict)) {
        if (verdict === 'stored') problem(`${label}: rejected, but the contract stores it`);
        if ((await store.getSession(ATTACKER, session)) !== null) problem(`${label}: rejected but a session exists`);
        continue;
      }
      out.accepted++;
      if (verdict !== 'stored') {
        problem(`${label}: stored, but the contract says ${verdict}`);
        await store.deleteSession(ATTACKER, session);
        continue;
      }
      const messages = await store.getMessages(ATTACKER, session);
      const expected = batch ? [{ role: 'user', text: 'good' }, value] : [value];
      const got = canonicalJson(messages.map((m) => m.message));
      const want = `[${expected.map((m) => expectedJson(m)).join(',')}]`;
      if (got !== want) problem(`${label}: read back differently (${got.length} vs ${want.length} characters of canonical JSON)`);
      await store.deleteSession(ATTACKER, session);
    }
  }

  if (expectedJson(await store.getSession(VICTIM_USER, VICTIM_SESSION)) !== victimBefore) problem("the victim's session changed");
  const victimList = await store.listSessions(VICTIM_USER);
  if (victimList.items.map((s) => s.id).join() !== VICTIM_SESSION) problem(`the victim lists ${victimList.items.length} sessions`);
  if ((Object.prototype as Record<string, unknown>)['polluted'] !== undefined) problem('Object.prototype was polluted');
  return out;
}
