import { createServer } from 'node:net';

/** Loopback only: the throwaway servers are never reachable from outside the machine. */
export const LOOPBACK = '127.0.0.1';

/** Resolves whether `port` can be bound on the loopback interface right now. */
export function isPortFree(port: number, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * A port that was free a moment ago: the kernel picks one when binding port 0, then it is
 * released for the server to bind. Another process may take it in between, so every start
 * retries with a fresh port when the server reports EADDRINUSE.
 *
 * @param busOffset - also require `port + busOffset` to be free (Redis Cluster's bus port).
 */
export async function freePort(busOffset = 0, host = LOOPBACK): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen({ port: 0, host, exclusive: true }, () => {
        const address = server.address();
        const picked = typeof address === 'object' && address !== null ? address.port : 0;
        server.close(() => resolve(picked));
      });
    });
    if (busOffset === 0) return port;
    if (port + busOffset <= 65_535 && (await isPortFree(port + busOffset, host))) return port;
  }
  throw new Error(`[test-services] no free loopback port found (with bus offset ${busOffset})`);
}
