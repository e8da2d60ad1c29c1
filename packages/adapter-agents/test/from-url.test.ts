import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemorySession } from '@openai/agents-core';
import { openStore } from '@sessions/core';
import '@sessions/sqlite';
import { OpenAIAgentsSession } from '../src/openai/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sessions-agents-url-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OpenAIAgentsSession.fromUrl: the one-liner', () => {
  it('opens a SQLite file, sets it up, and keeps the history across sessions and processes as MemorySession would', async () => {
    const url = `sqlite:${join(dir, 'conversations.db')}`;
    const items = [
      { type: 'message' as const, role: 'user' as const, content: 'Hello' },
      { type: 'message' as const, role: 'user' as const, content: 'Where is my order?' },
    ];
    const session = await OpenAIAgentsSession.fromUrl(url, { sessionId: 'user_123' });
    const reference = new MemorySession({ sessionId: 'user_123' });
    await session.addItems(items);
    await reference.addItems(items);
    await session.close();

    const again = await OpenAIAgentsSession.fromUrl(url, { sessionId: 'user_123' });
    expect(await again.getSessionId()).toBe('user_123');
    expect(await again.getItems()).toEqual(await reference.getItems());
    await again.close();

    const store = await openStore(url);
    expect((await store.getMessages('default', 'user_123')).length).toBe(2);
    await store.close();
  });

  it('closes the store it opened when setup fails, and reports the error', async () => {
    await expect(OpenAIAgentsSession.fromUrl('nosuchscheme:x')).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('OpenAIAgentsSession logger', () => {
  it('logs reads and writes with their items when the logger allows data, as MemorySession does, and never otherwise', async () => {
    const { InMemorySessionStore } = await import('@sessions/core');
    const lines: string[] = [];
    const open = (dontLogModelData: boolean) =>
      new OpenAIAgentsSession({ store: new InMemorySessionStore(), userId: 'u', sessionId: 's', logger: { debug: (line: string) => lines.push(line), dontLogModelData, dontLogToolData: false } });
    const secret = 'SECRET_DIAGNOSTIC_42';
    const verbose = open(false);
    await verbose.addItems([{ type: 'message', role: 'user', content: secret }]);
    await verbose.getItems();
    await verbose.popItem();
    await verbose.clearSession();
    expect(lines.filter((line) => line.includes(secret))).toHaveLength(3);
    expect(lines.at(-1)).toBe('Clearing session (s)');
    lines.length = 0;
    const quiet = open(true);
    await quiet.addItems([{ type: 'message', role: 'user', content: secret }]);
    await quiet.getItems();
    expect(lines.join('\n')).not.toContain(secret);
  });
});
