import type { Runner } from './context.js';
import { statement } from './statement.js';

/** One round trip that touches no table. */
export const pingStatement = statement<Record<string, never>>(() => 'SELECT 1 AS one');

/** One round trip to the server; throws when it fails. */
export async function ping(runner: Runner): Promise<void> {
  await runner.run(pingStatement, {});
}
