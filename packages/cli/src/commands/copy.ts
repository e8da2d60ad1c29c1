import { copySessions, countSessions, type MessageCodec, type SessionStore } from '@sessions/core';
import type { Output } from '../output.js';
import { createProgress } from '../progress.js';
import type { Secrets } from '../secrets.js';
import { openCliStore } from '../store/open.js';
import { resolveStoreUrl } from '../store/store-url.js';

/** Options of `sessions copy`. */
export interface CopyCommandOptions {
  from: string;
  to: string;
  user?: string[];
  encryption?: MessageCodec | undefined;
  secrets: Secrets;
}

/**
 * `sessions copy --from URL --to URL`: moves every session between backends with its ids, seqs
 * and timestamps. Resumable: sessions the target already holds from an earlier copy are
 * continued after their highest seq, so an interrupted copy is re-run with the same command (a
 * session of the same id that is not such a copy is refused). Each session's message count is
 * verified. The target is set up first (its schema or table created when missing).
 */
export async function copyCommand(out: Output, options: CopyCommandOptions): Promise<void> {
  const from = await openCliStore(resolveStoreUrl(options.from), { encryption: options.encryption, secrets: options.secrets });
  let to: SessionStore | undefined;
  const progress = createProgress(out, 'copy');
  let stopped = false;
  try {
    to = await openCliStore(resolveStoreUrl(options.to), { encryption: options.encryption, setup: true, secrets: options.secrets });
    const users = options.user && { userIds: options.user };
    if (progress.drawn) progress.stage('copy: counting');
    const total = progress.drawn ? await countSessions(from, users ?? {}) : undefined;
    progress.stage('copy', total);
    const result = await copySessions(from, to, { ...users, onExisting: 'resume', verify: true, onProgress: (p) => progress.update(p) });
    progress.stop();
    stopped = true;
    out.result({ from: from.backend, to: to.backend, ...result }, () =>
      `copied ${result.sessions} sessions, ${result.messages} messages from ${from.backend} to ${to!.backend}` +
      (result.skippedMessages ? ` (${result.skippedMessages} messages were already there)` : '') +
      '; message counts verified',
    );
  } finally {
    if (!stopped) progress.stop(true);
    await Promise.allSettled([from.close(), to?.close()]);
  }
}
