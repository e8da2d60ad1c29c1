import type { ServerResponse } from 'node:http';
import type { SessionStore } from '@sessions/core';
import { messageView, sessionView } from './api.js';

/** A comment line every so often keeps proxies and the browser from closing an idle stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Streams a session's changes as server-sent events from `store.watch`: `appended` (the new
 * messages), `changed` (the session record now), `deleted`. The event id is the last seq sent,
 * so a browser that reconnects resumes with `Last-Event-ID` and misses nothing. Ends when the
 * client goes away: the watch is released with it.
 */
export async function streamChanges(store: SessionStore, userId: string, sessionId: string, afterSeq: number, response: ServerResponse): Promise<void> {
  const controller = new AbortController();
  response.on('close', () => controller.abort());
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  response.write(': watching\n\n');
  const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS);
  let lastSeq = afterSeq;
  try {
    for await (const change of store.watch(userId, sessionId, { afterSeq, signal: controller.signal })) {
      if (change.type === 'appended') {
        lastSeq = change.messages[change.messages.length - 1]?.seq ?? lastSeq;
        send(response, 'appended', lastSeq, { messages: change.messages.map(messageView) });
      } else if (change.type === 'changed') {
        send(response, 'changed', lastSeq, { session: sessionView(change.session) });
      } else {
        lastSeq = 0;
        send(response, 'deleted', lastSeq, {});
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) {
      const message = error instanceof Error ? error.message.replace(/^\[sessions\] \[[^\]]*\] /, '') : 'the watch failed';
      send(response, 'failed', lastSeq, { message, hint: 'The live view stopped; reload the page to start it again.' });
    }
  } finally {
    clearInterval(keepalive);
    response.end();
  }
}

function send(response: ServerResponse, event: string, id: number, data: unknown): void {
  response.write(`event: ${event}\nid: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
}
