import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SessionStore } from '@sessions/core';
import { exportOne, listSessions, listUsers, readJsonBody, readTranscript, sessionView } from './api.js';
import { readAsset } from './assets.js';
import { hasToken, headerTokenPresent, hostAllowed, newAccessToken } from './auth.js';
import { HttpError, toApiFailure } from './errors.js';
import { streamChanges } from './events.js';

/** Options of {@link startInspector}. */
export interface InspectorOptions {
  store: SessionStore;
  /** @default 0 (a free port) */
  port?: number;
  /** @default "127.0.0.1" */
  host?: string;
  /** Refuse every action that writes. @default false */
  readOnly?: boolean;
  /** The access token; a random one when absent. */
  token?: string;
  /** Called with each request that failed on the server side, for the terminal. */
  onError?: (error: unknown) => void;
}

/** A running inspector. */
export interface Inspector {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * Serves the session inspector: the page, a JSON API over the store and a live event stream.
 * Every request needs the access token, every answer forbids framing and inline script, and
 * only the host names the server was opened under are accepted.
 */
export async function startInspector(options: InspectorOptions): Promise<Inspector> {
  const token = options.token ?? newAccessToken();
  const host = options.host ?? '127.0.0.1';
  const readOnly = options.readOnly ?? false;
  const allowedHosts = new Set<string>();
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => fail(response, error));
  });
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  for (const name of [shown, 'localhost', '127.0.0.1', '[::1]']) allowedHosts.add(`${name}:${port}`.toLowerCase());

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://inspector');
    if (!hostAllowed(request, allowedHosts)) throw new HttpError(421, 'WRONG_HOST', 'this inspector answers only on the address it printed', 'Open the URL the sessions ui command printed.');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    // The page's code holds no data, and a module's imports cannot carry the token: public.
    if (method === 'GET' && path.startsWith('/assets/')) return asset(response, path.slice('/assets/'.length));
    if (!hasToken(request, url, token)) throw new HttpError(401, 'NO_TOKEN', 'the access token is missing or wrong', 'Open the full URL the sessions ui command printed (it holds the token).');
    if (method === 'GET' && (path === '/' || path === '/index.html')) return asset(response, 'index.html');
    if (!path.startsWith('/api/')) throw new HttpError(404, 'NO_ROUTE', `nothing at ${path}`, 'Open the URL the sessions ui command printed.');
    const parts = path.slice('/api/'.length).split('/').map(decodeURIComponent);
    if (method !== 'GET') {
      if (!headerTokenPresent(request)) throw new HttpError(403, 'NO_TOKEN', 'actions need the token in the x-sessions-token header', 'Use the page’s buttons.');
      if (readOnly) throw new HttpError(403, 'READ_ONLY', 'the inspector runs read-only: nothing can be changed', 'Start it without --read-only to change sessions.');
    }
    const store = options.store;
    // /api/info
    if (method === 'GET' && parts.length === 1 && parts[0] === 'info') return json(response, 200, { backend: store.backend, readOnly });
    // /api/users
    if (method === 'GET' && parts.length === 1 && parts[0] === 'users') {
      return json(response, 200, await listUsers(store, url.searchParams.get('after'), url.searchParams.get('search')?.trim() || null));
    }
    if (parts[0] !== 'users' || parts.length < 3 || parts[2] !== 'sessions') throw new HttpError(404, 'NO_ROUTE', `nothing at ${path}`, 'Reload the page.');
    const userId = parts[1]!;
    // /api/users/:user/sessions
    if (parts.length === 3 && method === 'GET') {
      return json(response, 200, await listSessions(store, userId, url.searchParams.get('cursor'), url.searchParams.get('search')?.trim() || null));
    }
    const sessionId = parts[3];
    if (sessionId === undefined || parts.length > 5) throw new HttpError(404, 'NO_ROUTE', `nothing at ${path}`, 'Reload the page.');
    const action = parts[4];
    if (action === undefined && method === 'GET') {
      return json(response, 200, await readTranscript(store, userId, sessionId, seqParam(url, 'beforeSeq')));
    }
    if (action === undefined && method === 'DELETE') return json(response, 200, { deleted: await store.deleteSession(userId, sessionId) });
    if (action === 'events' && method === 'GET') {
      const resumeFrom = request.headers['last-event-id'];
      const afterSeq = typeof resumeFrom === 'string' && /^\d+$/.test(resumeFrom) ? Number(resumeFrom) : (seqParam(url, 'afterSeq') ?? 0);
      return streamChanges(store, userId, sessionId, afterSeq, response);
    }
    if (action === 'export' && method === 'GET') {
      const session = await store.getSession(userId, sessionId, { limit: 0 });
      if (!session) throw new HttpError(404, 'NOT_FOUND', `session ${JSON.stringify(sessionId)} does not exist (or has expired)`, 'Go back to the list and reload.');
      response.writeHead(200, {
        ...SECURITY_HEADERS,
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${downloadName(userId, sessionId)}"`,
      });
      for await (const chunk of exportOne(store, session)) if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
      response.end();
      return;
    }
    if (action === 'fork' && method === 'POST') {
      const body = await readJsonBody(request);
      const info = await store.forkSession(userId, sessionId, {
        ...(body['uptoSeq'] !== undefined && { uptoSeq: body['uptoSeq'] as number }),
        ...(typeof body['newSessionId'] === 'string' && body['newSessionId'] !== '' && { newSessionId: body['newSessionId'] }),
      });
      return json(response, 200, { session: sessionView(info) });
    }
    if (action === 'metadata' && method === 'PATCH') {
      const body = await readJsonBody(request);
      const info = await store.updateSession(userId, sessionId, { metadata: body['metadata'] as never });
      return json(response, 200, { session: sessionView(info) });
    }
    throw new HttpError(404, 'NO_ROUTE', `nothing at ${method} ${path}`, 'Reload the page.');
  }

  function fail(response: ServerResponse, error: unknown): void {
    const failure = toApiFailure(error);
    if (failure.status >= 500) options.onError?.(error);
    if (response.headersSent) {
      response.end();
      return;
    }
    json(response, failure.status, { error: { code: failure.code, message: failure.message, hint: failure.hint } });
  }

  return {
    url: `http://${shown}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Event streams never end by themselves: end their sockets so close() returns.
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

async function asset(response: ServerResponse, name: string): Promise<void> {
  const found = await readAsset(name);
  if (!found) throw new HttpError(404, 'NO_ROUTE', `no file ${name}`, 'Reload the page.');
  response.writeHead(200, { ...SECURITY_HEADERS, 'content-type': found.type });
  response.end(found.body);
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8' });
  response.end(JSON.stringify(body));
}

function seqParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new HttpError(400, 'INVALID_ARGUMENT', `${name} must be a non-negative integer`, 'Reload the page.');
  return Number(value);
}

function downloadName(userId: string, sessionId: string): string {
  return `${userId}-${sessionId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) + '.jsonl';
}
