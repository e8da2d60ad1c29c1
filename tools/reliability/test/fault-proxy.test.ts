import { createServer, connect, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { NO_FAULTS, startFaultProxy, type FaultRates } from '../src/fault-proxy.js';

// The proxy must inject what it claims: a reply cut must come after the server received the
// request, and the client must then hear nothing of the reply.

let server: Server;
let serverAddress = '';
/** Every request the echo server received, in order. */
const received: string[] = [];

beforeAll(async () => {
  server = createServer((socket) => {
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received.push(chunk.toString());
      socket.write(`reply to ${chunk.toString()}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  serverAddress = `127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `request` through a proxy with `rates`; resolves with what came back and how the connection ended. */
async function exchange(rates: FaultRates, request: string): Promise<{ reply: string; ended: 'closed' | 'reset' }> {
  const proxy = await startFaultProxy({ target: serverAddress, rates });
  try {
    return await new Promise((resolve) => {
      const socket = connect(proxy.port, proxy.host);
      let reply = '';
      socket.on('data', (chunk) => {
        reply += chunk.toString();
        if (reply === `reply to ${request}`) socket.end();
      });
      socket.on('error', () => resolve({ reply, ended: 'reset' }));
      socket.on('close', (hadError) => !hadError && resolve({ reply, ended: 'closed' }));
      socket.write(request);
    });
  } finally {
    await proxy.stop();
  }
}

describe('the fault proxy', () => {
  it('forwards both ways without faults', async () => {
    expect(await exchange(NO_FAULTS, 'plain')).toEqual({ reply: 'reply to plain', ended: 'closed' });
  });

  it('cuts a reply after the server received the request: the client hears nothing', async () => {
    expect(await exchange({ ...NO_FAULTS, cutReply: 1 }, 'applied')).toEqual({ reply: '', ended: 'reset' });
    expect(received).toContain('applied');
  });

  it('cuts a request halfway: the server never receives it whole', async () => {
    expect(await exchange({ ...NO_FAULTS, cutRequest: 1 }, 'abcdefgh')).toMatchObject({ reply: '' });
    await vi.waitFor(() => expect(received).toContain('abcd'), { timeout: 5_000 });
    expect(received).not.toContain('abcdefgh');
  });

  it('resets a refused connection before forwarding anything, and delays keep the order', async () => {
    const before = received.length;
    expect(await exchange({ ...NO_FAULTS, refuse: 1 }, 'refused')).toEqual({ reply: '', ended: 'reset' });
    expect(received.length).toBe(before);
    expect(await exchange({ ...NO_FAULTS, delay: 1, maxDelayMs: 50 }, 'slow')).toEqual({ reply: 'reply to slow', ended: 'closed' });
  });
});
