import { describe, expect, it, vi } from 'vitest';
import {
  InMemorySessionStore,
  isSessionStoreError,
  knownStoreSchemes,
  openStore,
  parseStoreUrl,
  redactUrl,
  registerStoreScheme,
  type ParsedStoreUrl,
  type StoreOptions,
} from '../src/index.js';
import { expectCode } from './helpers.js';

// Stand-ins for backend packages, so these tests never load a real backend: one that is "not
// installed" (its import fails as a missing package does) and one that registers nothing.
vi.mock('@sessions/dynamo', () => {
  throw new Error("Cannot find package '@sessions/dynamo' imported from core");
});
vi.mock('@sessions/postgres', () => ({}));

describe('openStore', () => {
  it('opens memory: as an in-memory store, passing the shared options through', async () => {
    await using store = await openStore('memory:', { ttlMs: 60_000, maxBatchMessages: 2 });
    expect(store).toBeInstanceOf(InMemorySessionStore);
    expect(store.backend).toBe('memory');
    const info = await store.createSession('u', { sessionId: 's' });
    expect(info.expiresAt).not.toBeNull();
    await expectCode(store.append('u', 's', [{ n: 1 }, { n: 2 }, { n: 3 }]), 'TOO_LARGE');
    await using upper = await openStore('  MEMORY:  ');
    expect(upper.backend).toBe('memory');
  });

  it('refuses an unknown scheme with INVALID_ARGUMENT listing the known ones', async () => {
    const error = await expectCode(openStore('mongodb://db.example/x'), 'INVALID_ARGUMENT');
    expect(error.message).toContain('"mongodb:" is not known');
    expect(error.message).toContain('memory:');
    expect(error.message).toContain('redis:');
  });

  it('refuses a URL without a scheme, or no string at all', async () => {
    await expectCode(openStore('./sessions.db'), 'INVALID_ARGUMENT');
    await expectCode(openStore(42 as unknown as string), 'INVALID_ARGUMENT');
  });

  it('says which package to install when the scheme package is missing, hiding the password', async () => {
    const error = await expectCode(openStore('dynamodb://admin:s3cret@localhost:8000/table'), 'INVALID_ARGUMENT');
    expect(error.message).toContain('needs the package @sessions/dynamo');
    expect(error.message).toContain('npm install @sessions/dynamo');
    expect(error.message).not.toContain('s3cret');
  });

  it('says so when a package loads but does not register its scheme', async () => {
    const error = await expectCode(openStore('pglite:./data'), 'INVALID_ARGUMENT');
    expect(error.message).toContain('@sessions/postgres did not register the scheme "pglite:"');
  });

  it('opens a registered scheme with the parsed URL and the caller options', async () => {
    const seen: Array<{ url: ParsedStoreUrl; options: StoreOptions & Record<string, unknown> }> = [];
    registerStoreScheme(['Custom', 'custom+tls'], (url, options) => {
      seen.push({ url, options });
      return new InMemorySessionStore(options);
    });
    expect(knownStoreSchemes()).toEqual(expect.arrayContaining(['custom', 'custom+tls', 'memory', 'redis', 'sqlite']));
    await using store = await openStore('CUSTOM+TLS://host:1/path?keyPrefix=app:&x=1', { ttlMs: 1000, extra: true });
    expect(store.backend).toBe('memory');
    const [call] = seen;
    expect(call?.url).toMatchObject({ scheme: 'custom+tls', rest: '//host:1/path?keyPrefix=app:&x=1' });
    expect(call?.url.params.get('keyPrefix')).toBe('app:');
    expect(call?.options).toEqual({ ttlMs: 1000, extra: true });
  });
});

describe('parseStoreUrl', () => {
  it('splits scheme, rest and query parameters', () => {
    expect(parseStoreUrl(' sqlite:./a.db?readPageSize=50 ')).toMatchObject({ scheme: 'sqlite', text: 'sqlite:./a.db?readPageSize=50', rest: './a.db?readPageSize=50' });
    expect(parseStoreUrl('memory:').params.size).toBe(0);
  });
});

describe('redactUrl', () => {
  it.each([
    ['redis://user:pass@host:6379/0', 'redis://user:***@host:6379/0'],
    ['redis://:pass@host:6379', 'redis://:***@host:6379'],
    ['postgres://app:p@ss@db.example:5432/sessions', 'postgres://app:***@db.example:5432/sessions'],
    ['postgres://app:a/b@db.example/sessions', 'postgres://app:***@db.example/sessions'],
    ['postgres://app:a:b:c@db.example/sessions', 'postgres://app:***@db.example/sessions'],
    ['rediss://u:x@y/z:w@host:1', 'rediss://u:***@host:1'],
    ['redis+cluster://u:pw@h1:1,h2:2', 'redis+cluster://u:***@h1:1,h2:2'],
  ])('hides the password of %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it.each(['redis://host:6379', 'redis://user@host', 'memory:', 'sqlite:./a@b.db', 'pglite:./dir'])('leaves %s as it is', (input) => {
    expect(redactUrl(input)).toBe(input);
  });

  it('never lets a password through, whatever characters it holds', () => {
    for (const password of ['p@ss', 'a/b', 'a:b', '@@', 'x?y=1', 'x#y', '/@:']) {
      const redacted = redactUrl(`postgres://app:${password}@db.example:5432/sessions`);
      expect(redacted, password).not.toContain(password);
      expect(redacted).toContain('***');
    }
  });

  it('hides the password in the error of a URL that fails to open', async () => {
    let thrown: unknown;
    try {
      await openStore('mongodb://admin:hunter2@db.example/x');
    } catch (error) {
      thrown = error;
    }
    expect(isSessionStoreError(thrown, 'INVALID_ARGUMENT')).toBe(true);
    expect(String((thrown as Error).message)).not.toContain('hunter2');
  });
});
