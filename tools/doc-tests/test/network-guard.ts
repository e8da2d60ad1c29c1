/**
 * Loaded (`node --import`) into every snippet the runner executes, before the snippet: a TCP
 * connection to anything but a test server's loopback port is refused with an error, so a
 * snippet can never reach the machine's standard ports (a Redis on 6379, a PostgreSQL on 5432
 * that are other services), a placeholder host or a real cloud endpoint, whatever it names.
 * The allowed ports come from `DOC_TESTS_ALLOWED_PORTS` (comma-separated), set by the runner.
 */
import net from 'node:net';

const allowedPorts = new Set((process.env.DOC_TESTS_ALLOWED_PORTS ?? '').split(',').filter(Boolean).map(Number));
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '::ffff:127.0.0.1']);

interface Target {
  host?: string;
  port?: number | string;
  path?: string | null;
}

/** Where a `socket.connect(...)` call goes, from any of its overloads. */
function targetOf(args: unknown[]): Target {
  const [first, second] = args;
  if (Array.isArray(first)) return targetOf(first); // the normalized form net passes internally
  if (typeof first === 'object' && first !== null) return first as Target;
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { port: first, host: typeof second === 'string' ? second : 'localhost' };
  }
  return { path: String(first) };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const target = targetOf(args);
  // As net itself decides: a non-empty path is a unix socket (http passes `path: null`).
  const pipe = Boolean(target.path);
  const where = pipe ? target.path : `${target.host ?? 'localhost'}:${target.port}`;
  const allowed = !pipe && LOOPBACK.has(target.host ?? 'localhost') && allowedPorts.has(Number(target.port));
  if (!allowed) {
    throw new Error(`[doc-tests] refused a connection to ${where}: a snippet may reach only the test servers (see tools/doc-tests/README.md)`);
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
