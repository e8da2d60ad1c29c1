import type { SessionStore } from '@sessions/core';
import type { Output } from '../output.js';
import { startInspector } from '../ui/server.js';

/** Options of `sessions ui`. */
export interface UiOptions {
  port: number;
  host: string;
  readOnly: boolean;
}

/**
 * `sessions ui`: serves the session inspector on the store until the process is interrupted
 * (Ctrl-C or SIGTERM), then closes the server; the caller closes the store.
 */
export async function uiCommand(store: SessionStore, out: Output, options: UiOptions, stop: Promise<void> = interrupted()): Promise<void> {
  const inspector = await startInspector({
    store,
    port: options.port,
    host: options.host,
    readOnly: options.readOnly,
    onError: (error) => out.note(`inspector: ${error instanceof Error ? error.message : String(error)}`),
  });
  out.result({ url: inspector.url, port: inspector.port, readOnly: options.readOnly }, () => `sessions inspector on the ${store.backend} store${options.readOnly ? ' (read-only)' : ''}:\n  ${inspector.url}`);
  out.line('The URL holds a one-time access token: share it only with people allowed to read these sessions.');
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    out.line(`Listening on ${options.host}: other machines on the network can reach it (they still need the token).`);
  }
  out.line('Press Ctrl-C to stop.');
  await stop;
  await inspector.close();
}

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
