import net from 'node:net';

/** A TCP proxy on loopback that can cut a connection after the server answered and before the client got the reply. */
export interface CutProxy {
  readonly port: number;
  /** The next reply the server sends is dropped and that connection closed (the request has run on the server). */
  cutNextReply(): void;
  close(): Promise<void>;
}

/** Starts a {@link CutProxy} in front of `host:port` (test-only). */
export async function startCutProxy(host: string, port: number): Promise<CutProxy> {
  let cutNext = false;
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => open.delete(socket));
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (cutNext) {
        cutNext = false;
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  return {
    port: address.port,
    cutNextReply: () => {
      cutNext = true;
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
