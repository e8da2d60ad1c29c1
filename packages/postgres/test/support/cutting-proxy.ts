import { connect, createServer, type Socket } from 'node:net';

/** A TCP forwarder that cuts connections while they are busy (see {@link startCuttingProxy}). */
export interface CuttingProxy {
  /** `host:port` to connect to. */
  readonly address: string;
  /** How many connections it cut. */
  readonly cuts: () => number;
  stop(): Promise<void>;
}

/**
 * Forwards to `target` (`host:port`); drops one chunk of server replies in `everyNth` and cuts
 * both sides of that connection, so the server ran the request but the client never hears: a
 * busy connection lost, as a network fault or a server failover loses it.
 */
export async function startCuttingProxy(target: string, everyNth: number): Promise<CuttingProxy> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  let replies = 0;
  let cuts = 0;
  const server = createServer((client) => {
    const upstream = connect(port, host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (++replies % everyNth === 0) {
        cuts++;
        client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port: own } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${own}`,
    cuts: () => cuts,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
