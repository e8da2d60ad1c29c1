import { describe, expect, it } from 'vitest';
import { expectNoPlaintext, type RawInspector } from '../src/index.js';

/** An inspector over fixed records: this tests the assertion helper, not a store. */
const inspectorOver = (records: Record<string, string[]>): RawInspector => ({
  userRecords: async (userId) => records[userId] ?? [],
  sessionRecords: async () => [],
  sessionExpiry: async () => undefined,
});

describe('expectNoPlaintext', () => {
  const inspector = inspectorOver({
    alice: ['session ["alice","s1"] {"title":"enc:9f8a"}', 'message ["alice","s1",1] enc:v1:AAECAw=='],
    bob: ['message ["bob","s1",1] {"content":"card 4111-1111"}'],
  });

  it('passes when no record of the user holds the needle', async () => {
    await expect(expectNoPlaintext(inspector, 'alice', '4111')).resolves.toBeUndefined();
  });

  it('fails when a record holds the needle in clear', async () => {
    await expect(expectNoPlaintext(inspector, 'bob', '4111')).rejects.toThrow(/plaintext "4111"/);
  });

  it('fails when the user has no records at all, so it cannot pass on the wrong namespace', async () => {
    await expect(expectNoPlaintext(inspector, 'carol', '4111')).rejects.toThrow(/no records/);
  });

  it('refuses an empty needle', async () => {
    await expect(expectNoPlaintext(inspector, 'alice', '')).rejects.toThrow(/non-empty/);
  });
});
