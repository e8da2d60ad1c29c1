import { createServer, connect, type Server, type Socket } from 'node:net';
import { prng } from './workload.js';

/**
 * How often a {@link FaultProxy} injects each fault. Rates are probabilities in [0, 1].
 */
export interface FaultRates {
  /**
   * Per chunk coming back from the server: drop it and cut both sides. The server sent it, so
   * it received and ran the request before: the client sees its call fail although it was applied.
   */
  cutReply: number;
  /**
   * Per chunk going to the server: forward only its first half, then cut both sides. A request
   * cut this way never reaches the server whole, so it is not applied.
   */
  cutRequest: number;
  /** Per chunk, either way: hold it for up to `maxDelayMs` (order is kept). */
  delay: number;
  maxDelayMs: number;
  /** Per new connection: reset it at once, before anything is forwarded. */
  refuse: number;
}

/** No faults: a plain forwarder. */
export const NO_FAULTS: FaultRates = { cutReply: 0, cutRequest: 0, delay: 0, maxDelayMs: 0, refuse: 0 };

/** What a proxy did so far. */
export interface FaultProxyStats {
  connections: number;
  refused: number;
  /** Connections cut after the server had answered (the answer was dropped). */
  cutReplies: number;
  /** Connections cut in the middle of a request. */
  cutRequests: number;
  /** Chunks held back. */
  delayed: number;
  /** Connections the server side closed or failed on its own. */
  upstreamErrors: number;
}

/** A running proxy. */
export interface FaultProxy {
  readonly host: string;
  readonly port: number;
  /** `host:port` of the proxy. */
  readonly address: string;
  readonly stats: FaultProxyStats;
  /** Changes the fault rates from now on (e.g. `NO_FAULTS` for the read-back). */
  setFaults(rates: FaultRates): void;
  /** Stops listening and cuts every open connection. */
  stop(): Promise<void>;
}

/** Options of {@link startFaultProxy}. */
export interface FaultProxyOptions {
  /** The server, `host:port`. */
  target: string;
  rates: FaultRates;
  /** Seed of the fault decisions. @default 1 */
  seed?: number;
  /** Called on every connection event (for diagnosing a run): connection number and what happened. */
  onEvent?: (connection: number, event: string) => void;
}

/** Splits `host:port` (IPv6 in brackets). */
export function splitHostPort(address: string): { host: string; port: number } {
  const at = address.lastIndexOf(':');
  return { host: address.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(address.slice(at + 1)) };
}

/**
 * Starts a TCP proxy on 127.0.0.1 (a free port) that forwards every connection to `target`
 * and, at random, drops a reply and cuts the connection (the request was applied, the client
 * never hears so), cuts a request halfway, delays chunks, or resets new connections. Works for
 * any protocol (RESP, the PostgreSQL wire protocol, HTTP): faults are chosen per chunk, so a
 * reply cut always comes after the server received and answered the request it replies to.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = splitHostPort(options.target);
  const random = prng(options.seed ?? 1);
  let rates = options.rates;
  const stats: FaultProxyStats = { connections: 0, refused: 0, cutReplies: 0, cutRequests: 0, delayed: 0, upstreamErrors: 0 };
  const open = new Set<Socket>();

  const log = options.onEvent ?? (() => undefined);
  const server: Server = createServer((client) => {
    const id = ++stats.connections;
    log(id, 'open');
    client.on('error', () => undefined);
    if (random() < rates.refuse) {
      stats.refused++;
      log(id, 'refused');
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    upstream.setNoDelay(true);
    client.setNoDelay(true);
    open.add(client).add(upstream);
    let cut = false;
    const cutBoth = () => {
      if (cut) return;
      cut = true;
      log(id, 'cut');
      client.resetAndDestroy();
      upstream.resetAndDestroy();
    };
    upstream.on('error', () => {
      if (!cut) stats.upstreamErrors++;
      cutBoth();
    });
    client.on('close', () => {
      log(id, 'client closed');
      open.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      log(id, 'server closed');
      open.delete(upstream);
      client.destroy();
    });

    // One queue per direction, so a delayed chunk holds back the ones after it.
    const forward = (to: Socket, chunk: Buffer, queue: { tail: Promise<void> }) => {
      const held = random() < rates.delay ? Math.floor(random() * rates.maxDelayMs) : 0;
      if (held > 0) stats.delayed++;
      log(id, `${to === upstream ? '>' : '<'} ${chunk.length} bytes${held > 0 ? `, held ${held} ms` : ''}`);
      queue.tail = queue.tail
        .then(async () => {
          if (held > 0) await new Promise((resolve) => setTimeout(resolve, held));
          if (!cut && !to.destroyed) to.write(chunk);
        })
        // A failed step must not stall the queue (that would hang the connection, a fault the
        // proxy does not mean to inject): cut instead.
        .catch(cutBoth);
    };
    const toServer = { tail: Promise.resolve() };
    const toClient = { tail: Promise.resolve() };
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      if (random() < rates.cutRequest) {
        stats.cutRequests++;
        log(id, `> ${chunk.length} bytes: cut after half`);
        const half = chunk.subarray(0, Math.floor(chunk.length / 2));
        // The half goes out in order after what is queued; the cut follows once the kernel has
        // it (or 50 ms later at most), so the server receives the half and then the reset.
        toServer.tail = toServer.tail
          .then(
            () =>
              new Promise<void>((resolve) => {
                if (half.length === 0 || cut || upstream.destroyed) return resolve();
                upstream.write(half, () => resolve());
                setTimeout(resolve, 50);
              }),
          )
          .then(cutBoth, cutBoth);
        return;
      }
      forward(upstream, chunk, toServer);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cut) return;
      if (random() < rates.cutReply) {
        stats.cutReplies++;
        log(id, `< ${chunk.length} bytes: dropped, cut`);
        // Whatever is queued towards the client is dropped with it: the client hears nothing more.
        cutBoth();
        return;
      }
      forward(client, chunk, toClient);
    });
    client.on('end', () => void toServer.tail.then(() => upstream.end()));
    upstream.on('end', () => void toClient.tail.then(() => client.end()));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    host: '127.0.0.1',
    port,
    address: `127.0.0.1:${port}`,
    stats,
    setFaults(next) {
      rates = next;
    },
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
