import { describe, expect, it } from 'vitest';
import { DriverSessionStore, SessionStoreError, createStore, isSessionStoreError, type SessionDriver } from '../src/index.js';
import { driverWith } from './drivers.js';
import { expectCode } from './helpers.js';

const outage = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

describe('DriverSessionStore: error mapping', () => {
  it('reports a raw error a driver throws as UNAVAILABLE, retryable, server fault, with the error as cause', async () => {
    const thrown = outage();
    const store = new DriverSessionStore(
      driverWith({
        append: async () => {
          throw thrown;
        },
      }),
    );
    const error = (await expectCode(store.append('u', 's', { t: 1 }), 'UNAVAILABLE')) as SessionStoreError;
    expect(error).toBeInstanceOf(SessionStoreError);
    expect(error.retryable).toBe(true);
    expect(error.fault).toBe('server');
    expect(error.cause).toBe(thrown);
    expect(error.backend).toBe('memory');
    expect(error.message).toMatch(/^\[sessions\] \[memory\] /);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('names the driver backend in the prefix', async () => {
    const store = createStore(
      driverWith({
        backend: 'custom',
        get: async () => {
          throw new Error('boom');
        },
      }),
    );
    expect(store.backend).toBe('custom');
    const error = await expectCode(store.getSession('u', 's'), 'UNAVAILABLE');
    expect(error.message).toMatch(/^\[sessions\] \[custom\] /);
  });

  it('maps what classifyError recognises: INVALID_ARGUMENT and TOO_LARGE are client faults, never retryable', async () => {
    const tooBig = new Error('item size has exceeded the maximum allowed size');
    const badInput = new Error('invalid input syntax');
    const store = new DriverSessionStore(
      driverWith({
        append: async () => {
          throw tooBig;
        },
        update: async () => {
          throw badInput;
        },
        classifyError: (error) => {
          if (error === tooBig) return { code: 'TOO_LARGE', message: 'the batch is too large for one item' };
          if (error === badInput) return { code: 'INVALID_ARGUMENT', message: 'the server refused the input' };
          return undefined;
        },
      }),
    );
    const large = (await expectCode(store.append('u', 's', { t: 1 }), 'TOO_LARGE')) as SessionStoreError;
    expect(large).toMatchObject({ retryable: false, fault: 'client', backend: 'memory' });
    expect(large.cause).toBe(tooBig);
    expect(large.message).toBe('[sessions] [memory] the batch is too large for one item');
    await store.createSession('u', { sessionId: 's' });
    const invalid = (await expectCode(store.updateSession('u', 's', { metadata: { a: 1 } }), 'INVALID_ARGUMENT')) as SessionStoreError;
    expect(invalid).toMatchObject({ retryable: false, fault: 'client' });
    expect(invalid.cause).toBe(badInput);
  });

  it('reports an error classifyError does not recognise as UNAVAILABLE', async () => {
    const store = new DriverSessionStore(
      driverWith({
        pop: async () => {
          throw outage();
        },
        classifyError: () => undefined,
      }),
    );
    await expectCode(store.popMessage('u', 's'), 'UNAVAILABLE');
  });

  it('passes a SessionStoreError a driver throws through unchanged, without asking classifyError', async () => {
    const own = new SessionStoreError('DECRYPT_FAILED', 'cannot open', { backend: 'memory' });
    let asked = 0;
    const store = new DriverSessionStore(
      driverWith({
        read: async () => {
          throw own;
        },
        classifyError: () => {
          asked++;
          return { code: 'INVALID_ARGUMENT', message: 'no' };
        },
      }),
    );
    await expect(store.getMessages('u', 's')).rejects.toBe(own);
    expect(asked).toBe(0);
  });

  it('turns each returned failure into the contract error', async () => {
    const driver = driverWith({});
    const store = new DriverSessionStore(driver);
    await store.createSession('u', { sessionId: 's' });
    await store.append('u', 's', [{ t: 1 }, { t: 2 }]);
    await store.createSession('u', { sessionId: 'taken' });

    await expectCode(store.createSession('u', { sessionId: 's' }), 'ALREADY_EXISTS');
    const notFound = await expectCode(store.updateSession('u', 'missing', {}), 'NOT_FOUND');
    expect(notFound.message).toContain('"missing"');
    await expectCode(store.append('u', 'missing', { t: 1 }, { create: false }), 'NOT_FOUND');
    await expectCode(store.rewriteMessages('u', 'missing', [{ seq: 1, message: { t: 1 } }]), 'NOT_FOUND');
    await expectCode(store.forkSession('u', 'missing'), 'NOT_FOUND');
    const exists = await expectCode(store.forkSession('u', 's', { newSessionId: 'taken' }), 'ALREADY_EXISTS');
    expect(exists.message, 'names the fork target').toContain('"taken"');
    const conflict = (await expectCode(store.append('u', 's', { t: 3 }, { expectedLastSeq: 1 }), 'CONFLICT')) as SessionStoreError;
    expect(conflict.retryable).toBe(true);
    expect(conflict.message).toContain('expectedLastSeq was 1');
    expect(conflict.message).toContain('lastSeq is 2');
    await expectCode(store.replaceTail('u', 's', { afterSeq: 0, messages: [] }, { expectedLastSeq: 5 }), 'CONFLICT');
    await expectCode(store.rewriteMessages('u', 's', [{ seq: 1, message: { t: 1 } }], { expectedLastSeq: 0 }), 'CONFLICT');
    const big = 'x'.repeat(40 * 1024);
    await store.updateSession('u', 's', { metadata: { a: big } });
    await expectCode(store.updateSession('u', 's', { metadata: { b: big } }), 'TOO_LARGE');
    await expectCode(store.forkSession('u', 's', { newSessionId: 'f', metadata: { b: big } }), 'TOO_LARGE');
    const now = Date.now();
    await store.restoreSession('u', { id: 'r', metadata: {}, createdAt: new Date(now), updatedAt: new Date(now), expiresAt: null, lastSeq: 3 });
    await expectCode(store.restoreMessages('u', 'r', [{ seq: 4, createdAt: new Date(now), message: { t: 4 } }]), 'INVALID_ARGUMENT');
  });

  it('maps errors thrown while listUsers iterates', async () => {
    const store = new DriverSessionStore(
      driverWith({
        // eslint-disable-next-line require-yield -- a listing whose first page fails
        listUsers: async function* () {
          throw outage();
        },
      }),
    );
    const iterate = async () => {
      for await (const user of store.listUsers()) expect(user).toBeUndefined();
    };
    await expectCode(iterate(), 'UNAVAILABLE');
  });

  it('checks the input before it calls the driver', async () => {
    let called = 0;
    const count = async () => {
      called++;
      throw new Error('the driver must not be called');
    };
    const store = new DriverSessionStore(driverWith({ append: count, replaceTail: count, rewrite: count, trim: count, read: count }));
    await expectCode(store.append('', 's', { t: 1 }), 'INVALID_ARGUMENT');
    await expectCode(store.append('u', 's', { at: new Date() } as never), 'INVALID_ARGUMENT');
    await expectCode(store.replaceTail('u', 's', { afterSeq: -1, messages: [] }), 'INVALID_ARGUMENT');
    await expectCode(store.rewriteMessages('u', 's', [{ seq: 1, message: { a: 1 } }, { seq: 1, message: { a: 2 } }]), 'INVALID_ARGUMENT');
    await expectCode(store.trimSession('u', 's', { beforeSeq: 1.5 }), 'INVALID_ARGUMENT');
    await expectCode(store.getMessages('u', 's', { limit: -1 }), 'INVALID_ARGUMENT');
    expect(called).toBe(0);
  });

  it('refuses bad store options at construction', () => {
    const driver = driverWith({});
    for (const options of [{ readPageSize: 0 }, { maxBatchMessages: -1 }, { maxBatchBytes: 1.5 }, { healthTimeoutMs: 0 }, { maxMessageBytes: 0 }, { ttlMs: -5 }]) {
      let thrown: unknown;
      try {
        new DriverSessionStore(driver, options);
      } catch (error) {
        thrown = error;
      }
      expect(isSessionStoreError(thrown, 'INVALID_ARGUMENT'), JSON.stringify(options)).toBe(true);
    }
  });
});

describe('DriverSessionStore: lifecycle', () => {
  it('health() never throws: a failing or silent ping is ok: false with a detail', async () => {
    const failing = new DriverSessionStore(
      driverWith({
        ping: async () => {
          throw new Error('no route to host');
        },
      }),
    );
    expect(await failing.health()).toMatchObject({ ok: false, detail: 'no route to host' });
    const silent = new DriverSessionStore(driverWith({ ping: () => new Promise<void>(() => undefined) }), { healthTimeoutMs: 20 });
    const health = await silent.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/20 ms/);
    expect(await new DriverSessionStore(driverWith({})).health()).toMatchObject({ ok: true });
  });

  it('setup() runs the driver setup (mapping its faults), and is a no-op for a driver without one', async () => {
    let runs = 0;
    const store = new DriverSessionStore(
      driverWith({
        setup: async () => {
          runs++;
        },
      }),
    );
    await store.setup();
    await store.setup();
    expect(runs).toBe(2);
    await expect(new DriverSessionStore(driverWith({ setup: undefined })).setup()).resolves.toBeUndefined();
    const broken = new DriverSessionStore(
      driverWith({
        setup: async () => {
          throw outage();
        },
      }),
    );
    await expectCode(broken.setup(), 'UNAVAILABLE');
  });

  it('close() closes the driver once; afterwards every call is CLOSED without reaching the driver', async () => {
    let closes = 0;
    let reads = 0;
    const store = new DriverSessionStore(
      driverWith({
        close: async () => {
          closes++;
        },
        get: async () => {
          reads++;
          return null;
        },
      }),
    );
    await store.close();
    await store[Symbol.asyncDispose]();
    await store.close();
    expect(closes).toBe(1);
    await expectCode(store.getSession('u', 's'), 'CLOSED');
    await expectCode(store.setup(), 'CLOSED');
    await expectCode(store.session('u', 's').info(), 'CLOSED');
    expect(reads).toBe(0);
    expect(await store.health()).toMatchObject({ ok: false });
  });
});

describe('DriverSessionStore: what the driver receives', () => {
  it('gets checked, trimmed, defaulted and timed requests', async () => {
    const seen: Record<string, unknown>[] = [];
    const base = driverWith({});
    const driver: SessionDriver = driverWith({
      create: async (request) => {
        seen.push({ ...request });
        return base.create(request);
      },
      append: async (request) => {
        seen.push({ ...request });
        return base.append(request);
      },
    });
    const store = new DriverSessionStore(driver, { ttlMs: 5000, clock: () => 1234.9 });
    await store.createSession(' u ', { sessionId: ' s ', metadata: { a: 1, gone: null } });
    await store.createSession('u', { sessionId: 'forever', ttlMs: null });
    await store.append('u', 's', [{ t: 'é' }, { t: 2 }], { idempotencyKey: ' k ' });
    expect(seen[0]).toEqual({ userId: 'u', sessionId: 's', metadata: { a: 1 }, ttlMs: 5000, now: 1234 });
    expect(seen[1]).toMatchObject({ sessionId: 'forever', ttlMs: null });
    expect(seen[2]).toEqual({
      userId: 'u',
      sessionId: 's',
      texts: ['{"t":"é"}', '{"t":2}'],
      bytes: 10 + 7,
      expectedLastSeq: undefined,
      idempotencyKey: ' k ',
      create: true,
      ttlMs: 5000,
      now: 1234,
    });
  });
});
