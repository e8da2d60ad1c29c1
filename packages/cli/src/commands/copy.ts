import { copySessions, type SessionStore } from '@sessions/core';
import type { Output } from '../output.js';
import { openStore, resolveStoreUrl } from '../open-store.js';
import { createProgress } from '../progress.js';

/** Options of `sessions copy`. */
export interface CopyCommandOptions {
  from: string;
  to: string;
  user?: string[];
  encryptKey?: string;
}

/**
 * `sessions copy --from URL --to URL`: moves every session between backends with its ids, seqs
 * and timestamps. Resumable: sessions the target already holds are continued after their
 * highest seq, so an interrupted copy is re-run with the same command. Each session's message
 * count is verified. The target's schema or table is created when missing.
 */
export async function copyCommand(out: Output, options: CopyCommandOptions): Promise<void> {
  const fromUrl = resolveStoreUrl(options.from);
  const toUrl = resolveStoreUrl(options.to);
  const from = await openStore(fromUrl, { encryptKey: options.encryptKey });
  let to: SessionStore | undefined;
  const progress = createProgress(out, 'copy');
  let stopped = false;
  try {
    to = await openStore(toUrl, { encryptKey: options.encryptKey, migrate: true });
    const result = await copySessions(from, to, {
      ...(options.user && { userIds: options.user }),
      onExisting: 'resume',
      verify: true,
      onProgress: (p) => progress.update(p),
    });
    progress.stop();
    stopped = true;
    out.result({ from: from.backend, to: to.backend, ...result }, () =>
      `copied ${result.sessions} sessions, ${result.messages} messages from ${from.backend} to ${to!.backend}` +
      (result.skippedMessages ? ` (${result.skippedMessages} messages were already there)` : '') +
      '; message counts verified',
    );
  } finally {
    if (!stopped) progress.stop();
    await Promise.allSettled([from.close(), to?.close()]);
  }
}
