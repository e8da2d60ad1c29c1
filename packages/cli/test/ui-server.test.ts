import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemorySessionStore, MemoryBacking, importSessions } from '@sessions/core';
import { startInspector, type Inspector } from '../src/ui/server.js';

const backing = new MemoryBacking();
const store = new InMemorySessionStore({ backing });
const writer = new InMemorySessionStore({ backing });
let inspector: Inspector;
let readOnly: Inspector;

const call = (server: Inspector, path: string, init: RequestInit = {}) =>
  fetch(`http://127.0.0.1:${server.port}/${path}`, { ...init, headers: { 'x-sessions-token': server.token, 'content-type': 'application/json', ...(init.headers ?? {}) } });

beforeAll(async () => {
  await store.append('alice', 'ticket-1', [
    { type: 'message', role: 'user', content: 'My invoice is wrong.' },
    { type: 'function_call', name: 'lookup_invoice', callId: 'c1', arguments: '{"id":"inv-7"}' },
  ]);
  await store.createSession('bob', { sessionId: 'chat', metadata: { title: 'hello' } });
  inspector = await startInspector({ store });
  readOnly = await startInspector({ store, readOnly: true });
});

afterAll(async () => {
  await inspector.close();
  await readOnly.close();
  await store.close();
});

describe('sessions ui: the server', () => {
  it('binds 127.0.0.1 and prints a URL with a random token', () => {
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(inspector.token).not.toBe(readOnly.token);
  });

  it('refuses a request without the token, or with a wrong one, and never shows a stack trace', async () => {
    const none = await fetch(`http://127.0.0.1:${inspector.port}/api/users`);
    expect(none.status).toBe(401);
    const wrong = await fetch(`http://127.0.0.1:${inspector.port}/api/users`, { headers: { 'x-sessions-token': 'x'.repeat(43) } });
    expect(wrong.status).toBe(401);
    const body = (await wrong.json()) as { error: { message: string; hint: string } };
    expect(body.error.hint).toMatch(/URL/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    const page = await fetch(`http://127.0.0.1:${inspector.port}/`);
    expect(page.status).toBe(401);
  });

  it('refuses another Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: inspector.port, path: `/api/users?token=${inspector.token}`, headers: { host: `evil.example:${inspector.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('serves the page with a strict content security policy', async () => {
    const page = await fetch(`http://127.0.0.1:${inspector.port}/?token=${inspector.token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('assets/app.js');
    const script = await fetch(`http://127.0.0.1:${inspector.port}/assets/render.js?token=${inspector.token}`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(await script.text()).not.toContain('innerHTML');
  });

  it('lists users, their sessions and a transcript', async () => {
    const users = (await (await call(inspector, 'api/users')).json()) as { users: string[] };
    expect(users.users.sort()).toEqual(['alice', 'bob']);
    const sessions = (await (await call(inspector, 'api/users/alice/sessions')).json()) as { sessions: { id: string; messageCount: number }[] };
    expect(sessions.sessions).toEqual([expect.objectContaining({ id: 'ticket-1', messageCount: 2 })]);
    const transcript = (await (await call(inspector, 'api/users/alice/sessions/ticket-1')).json()) as { messages: { seq: number }[] };
    expect(transcript.messages.map((m) => m.seq)).toEqual([1, 2]);
    const missing = await call(inspector, 'api/users/alice/sessions/nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { hint: string } }).error.hint).toMatch(/reload/i);
  });

  it('read-only mode refuses every action and changes nothing', async () => {
    expect((await call(readOnly, 'api/users/bob/sessions/chat', { method: 'DELETE' })).status).toBe(403);
    expect((await call(readOnly, 'api/users/alice/sessions/ticket-1/fork', { method: 'POST', body: '{"uptoSeq":1}' })).status).toBe(403);
    expect((await call(readOnly, 'api/users/bob/sessions/chat/metadata', { method: 'PATCH', body: '{"metadata":{"x":1}}' })).status).toBe(403);
    expect(await store.getSession('bob', 'chat')).toMatchObject({ metadata: { title: 'hello' } });
    expect(((await (await call(readOnly, 'api/info')).json()) as { readOnly: boolean }).readOnly).toBe(true);
  });

  it('an action needs the token in the header, not only in the URL', async () => {
    const response = await fetch(`http://127.0.0.1:${inspector.port}/api/users/bob/sessions/chat?token=${inspector.token}`, { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect(await store.getSession('bob', 'chat')).not.toBeNull();
  });

  it('forks at a message, edits metadata and deletes, with the store changed accordingly', async () => {
    const fork = await call(inspector, 'api/users/alice/sessions/ticket-1/fork', { method: 'POST', body: JSON.stringify({ uptoSeq: 1, newSessionId: 'ticket-1-fork' }) });
    expect(fork.status).toBe(200);
    expect((await store.getMessages('alice', 'ticket-1-fork')).map((m) => m.seq)).toEqual([1]);
    const update = await call(inspector, 'api/users/bob/sessions/chat/metadata', { method: 'PATCH', body: JSON.stringify({ metadata: { title: null, topic: 'billing' } }) });
    expect(update.status).toBe(200);
    expect((await store.getSession('bob', 'chat'))?.metadata).toEqual({ topic: 'billing' });
    const bad = await call(inspector, 'api/users/bob/sessions/chat/metadata', { method: 'PATCH', body: JSON.stringify({ metadata: 'nope' }) });
    expect(bad.status).toBe(400);
    const removed = await call(inspector, 'api/users/alice/sessions/ticket-1-fork', { method: 'DELETE' });
    expect(await removed.json()).toEqual({ deleted: true });
    expect(await store.getSession('alice', 'ticket-1-fork')).toBeNull();
  });

  it('exports one session in the format sessions import reads', async () => {
    const response = await fetch(`http://127.0.0.1:${inspector.port}/api/users/alice/sessions/ticket-1/export?token=${inspector.token}`);
    expect(response.headers.get('content-disposition')).toMatch(/attachment; filename="alice-ticket-1\.jsonl"/);
    const text = await response.text();
    const target = new InMemorySessionStore();
    const result = await importSessions(target, [text]);
    expect(result).toMatchObject({ sessions: 1, messages: 2 });
    expect((await target.getMessages('alice', 'ticket-1')).map((m) => m.message)).toEqual((await store.getMessages('alice', 'ticket-1')).map((m) => m.message));
  });

  it('streams appends from another writer as server-sent events, resuming after the seq it is given', async () => {
    const controller = new AbortController();
    const response = await fetch(`http://127.0.0.1:${inspector.port}/api/users/alice/sessions/ticket-1/events?afterSeq=2&token=${inspector.token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    await writer.append('alice', 'ticket-1', { type: 'message', role: 'assistant', content: 'Refunded.' });
    let text = '';
    while (!text.includes('event: appended')) text += new TextDecoder().decode((await reader.read()).value);
    while (!text.includes('\n\n', text.indexOf('event: appended'))) text += new TextDecoder().decode((await reader.read()).value);
    const data = JSON.parse(/event: appended\nid: (\d+)\ndata: (.*)\n/.exec(text)![2]!) as { messages: { seq: number; message: { content: string } }[] };
    expect(data.messages).toEqual([expect.objectContaining({ seq: 3, message: expect.objectContaining({ content: 'Refunded.' }) })]);
    controller.abort();
  });
});
