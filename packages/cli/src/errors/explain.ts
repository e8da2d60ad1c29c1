/** An error's code, name and message, as drivers give them. */
interface ErrorFields {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  message?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  path?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Every error in a chain: the error, its `cause`, the cause's cause..., and the members of an
 * `AggregateError` (Node reports a refused connection to `localhost` as one per address).
 */
export function causeChain(error: unknown, limit = 12): unknown[] {
  const chain: unknown[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && chain.length < limit) {
    const next = queue.shift();
    if (next === undefined || next === null || chain.includes(next)) continue;
    chain.push(next);
    if (typeof next !== 'object') continue;
    const fields = next as ErrorFields;
    if (Array.isArray(fields.errors)) queue.push(...(fields.errors as unknown[]));
    queue.push(fields.cause);
  }
  return chain;
}

/** One line for an error in the `--verbose` chain: its name, code and message. */
export function describeOne(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const fields = error as ErrorFields;
  const name = typeof fields.name === 'string' ? fields.name : 'Error';
  const code = typeof fields.code === 'string' || typeof fields.code === 'number' ? ` ${fields.code}` : '';
  const message = typeof fields.message === 'string' ? fields.message : '';
  return `${name}${code}: ${message}`.trim();
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Where a network error was going, `host:port`, when the error says. */
function target(fields: ErrorFields): string {
  const host = str(fields.address) ?? str(fields.hostname);
  if (!host) return '';
  return typeof fields.port === 'number' || typeof fields.port === 'string' ? ` ${host}:${fields.port}` : ` ${host}`;
}

/** A quoted name out of a server message: `database "app" does not exist` gives `app`. */
function quoted(message: string | undefined): string | undefined {
  return message ? /"([^"]+)"/.exec(message)?.[1] : undefined;
}

/**
 * What went wrong, in words a user acts on, for the errors people meet when they point the
 * command at a store: a wrong password, a missing database, a server that refuses connections,
 * a host name that does not resolve, a store that is not set up. `undefined` when no error in
 * the chain is one of these; the caller then shows the innermost cause's own message.
 */
export function explainCause(error: unknown): string | undefined {
  for (const item of causeChain(error)) {
    if (typeof item !== 'object' || item === null) continue;
    const fields = item as ErrorFields;
    const code = str(fields.code) ?? '';
    const name = str(fields.name) ?? '';
    const message = str(fields.message) ?? '';
    const explained = byCode(code, fields, message) ?? byMessage(name, message);
    if (explained) return explained;
  }
  return undefined;
}

function byCode(code: string, fields: ErrorFields, message: string): string | undefined {
  switch (code) {
    case '28P01':
      return `PostgreSQL refused the password for user "${quoted(message) ?? '?'}": check the user name and password in the store URL`;
    case '28000':
      return `PostgreSQL does not let this user connect (${message}): check the user name in the store URL, or the server's pg_hba.conf`;
    case '3D000':
      return `the database "${quoted(message) ?? '?'}" does not exist on the server: create it (createdb ${quoted(message) ?? '<name>'}) or fix the database name in the store URL`;
    case '42P01':
    case '3F000':
      return `the store is not set up (${message}): run sessions migrate with the same --store`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at${target(fields)} (connection refused): is the server running, and are the host and port in the store URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return `the host name${target(fields) || ' in the store URL'} cannot be resolved (unknown host): check the host in the store URL`;
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the server at${target(fields)} cannot be reached (${code}): check the host, the port and any firewall between`;
    case 'SQLITE_CANTOPEN':
      return `the SQLite file cannot be opened (${message}): does its folder exist, and may you write to it?`;
    case 'SQLITE_BUSY':
      return 'the SQLite file is locked by another process for longer than the busy timeout: try again';
    case 'SQLITE_NOTADB':
      return 'the file is not a SQLite database: check the path in the store URL';
    case 'EACCES':
    case 'EPERM':
      return `permission denied${str(fields.path) ? ` on ${str(fields.path)}` : ''}: check who owns it and its mode`;
    default:
      return undefined;
  }
}

function byMessage(name: string, message: string): string | undefined {
  if (/^WRONGPASS\b/.test(message)) return 'Redis refused the user name or password in the store URL (WRONGPASS)';
  if (/^NOAUTH\b/.test(message)) return 'Redis needs a password: put it in the store URL (redis://:password@host:port)';
  if (/no such table/i.test(message)) return `the store is not set up (${message}): run sessions migrate with the same --store`;
  if (name === 'ResourceNotFoundException') return `the DynamoDB table does not exist (${message}): run sessions migrate with the same --store to create it`;
  if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException') return `AWS refused the credentials (${name}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or your AWS profile`;
  if (name === 'CredentialsProviderError') return 'no AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY';
  return undefined;
}

/** The innermost error's message in the chain (usually the driver's own words). */
export function innermostMessage(error: unknown): string | undefined {
  const chain = causeChain(error);
  for (let i = chain.length - 1; i > 0; i--) {
    const message = (chain[i] as ErrorFields | null)?.message;
    if (typeof message === 'string' && message.trim()) return message.trim().split('\n')[0];
  }
  return undefined;
}
