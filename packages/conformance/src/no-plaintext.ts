import { expect } from 'vitest';
import type { RawInspector } from './types.js';

/**
 * Asserts that nothing stored for `userId` contains `needle` in clear text: for the encryption
 * wrapper's tests. Also asserts that the user has records at all, so the check cannot pass
 * vacuously (e.g. on the wrong namespace).
 *
 * ```ts
 * await store.append('alice', 's1', { role: 'user', content: 'my card is 4111...' });
 * await expectNoPlaintext(inspector, 'alice', '4111');
 * ```
 */
export async function expectNoPlaintext(inspector: RawInspector, userId: string, needle: string): Promise<void> {
  if (needle.length === 0) throw new Error('expectNoPlaintext needs a non-empty needle');
  const records = await inspector.userRecords(userId);
  expect(records.length, `the inspector found no records for user ${JSON.stringify(userId)}`).toBeGreaterThan(0);
  const leaking = records.filter((record) => record.includes(needle));
  expect(leaking, `plaintext ${JSON.stringify(needle)} found in stored records`).toEqual([]);
}
