/**
 * The scenario (table) names every suite uses, so rows from different suites land in the same
 * table. Tables are printed in the order of this list; the number is the scenario.
 */
export const SCENARIOS = {
  headline: '0. Every store and peer in one lineup: ops/s',
  appendAwaited: '1a. Append one 1 KB message, awaited one at a time',
  appendInFlight: '1b. Append one 1 KB message, 32 in flight on one session',
  read: '2a. Read the newest 20 messages (getMessages({ limit: 20 }))',
  readFlat: '2b. Cost vs session length (the same call on a long and a short session)',
  list: '3. listSessions, a user with 10,000 sessions',
  transfer: '4. Export and import (JSON Lines): throughput and peak memory',
  encryptAppend: '5a. Encryption overhead: append one 1 KB message, awaited',
  encryptRead: '5b. Encryption overhead: read the newest 20 messages',
  manySessions: '6. Many sessions at once: appends by 32 workers',
} as const;

const order: string[] = Object.values(SCENARIOS);

/** Sort key of a scenario name: its place in {@link SCENARIOS}, unknown names last. */
export function scenarioRank(name: string): number {
  const i = order.indexOf(name);
  return i === -1 ? order.length : i;
}
