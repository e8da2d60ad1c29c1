import { Command, InvalidArgumentError, Option } from 'commander';
import type { MessageCodec, SessionStore } from '@sessions/core';
import { usageError } from './cli-error.js';
import { reportError } from './errors/report.js';
import { createOutput, type Output } from './output.js';
import { Secrets } from './secrets.js';
import { loadEncryption, readKeyFile } from './store/encryption.js';
import { openCliStore } from './store/open.js';
import { DEFAULT_STORE_URL, resolveStoreUrl } from './store/store-url.js';
import { ls } from './commands/ls.js';
import { show } from './commands/show.js';
import { health, prune, rm, rmUser } from './commands/remove.js';
import { stats } from './commands/stats.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { copyCommand } from './commands/copy.js';
import { migrateCommand } from './commands/migrate.js';
import { uiCommand } from './commands/ui.js';
import { demoCommand } from './commands/demo.js';

/** Options every command takes. */
interface GlobalOptions {
  store?: string;
  encryptKey?: string;
  encryptKeyFile?: string;
  json: boolean;
  verbose: boolean;
}

const count = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
  return n;
};

/** Where the command writes; tests pass their own streams. */
export interface CliIo {
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  stdin?: NodeJS.ReadableStream;
}

const STORE_HELP = `
Store URLs (each backend package reads its own; query parameters are its options):
  ${DEFAULT_STORE_URL}  the default: a SQLite file, no server
  memory:  pglite:./dir  redis://[user:pass@]host:6379[/db][?keyPrefix=app:]
  redis+cluster://h1:7000,h2:7001  postgres://user:pass@host/db[?schema=app]
  dynamodb://localhost:8000/table[?region=us-east-1]  dynamodb:table

Examples:
  sessions demo
  sessions ls alice --store redis://localhost:6379
  sessions copy --from redis://localhost:6379 --to postgres://localhost/app`;

/**
 * Runs the `sessions` command with `argv` (without `node` and the script) and resolves to
 * the exit code: 0 ok, 1 operational error, 2 usage error. Never calls `process.exit`.
 */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as NodeJS.WriteStream;
  const stderr = (io.stderr ?? process.stderr) as NodeJS.WriteStream;
  const secrets = new Secrets();
  // Known before commander parses, so a usage error is reported in the right form.
  let verbose = argv.includes('--verbose');
  let json = argv.includes('--json');
  const program = new Command('sessions')
    .description('Inspect, move and demo conversation sessions stored by @sessions.')
    .addOption(new Option('-s, --store <url>', `the store URL (default: $SESSIONS_STORE, else ${DEFAULT_STORE_URL})`))
    .addOption(new Option('--encrypt-key <keys>', 'encrypt messages with this key (base64 of 32 random bytes), or id:key,id:key with the current key first').env('SESSIONS_ENCRYPTION_KEY'))
    .addOption(new Option('--encrypt-key-file <path>', 'read the encryption keys from a file only you can read (chmod 600), one per line').env('SESSIONS_ENCRYPTION_KEY_FILE'))
    .option('--json', 'machine-readable output (see the README for the schema)', false)
    .option('--verbose', 'the cause chain and stack trace on errors', false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', STORE_HELP);

  /** The command's globals and its output; warns about a key given where others can see it. */
  const contextOf = (command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    verbose = globals.verbose;
    json = globals.json;
    const out = createOutput(globals.json, stdout, stderr);
    if (globals.encryptKey && program.getOptionValueSource('encryptKey') === 'cli') {
      out.note('sessions: note: a key on the command line is visible to other users of this machine (ps); prefer --encrypt-key-file');
    }
    return { globals, out };
  };
  const encryptionOf = async (globals: GlobalOptions): Promise<MessageCodec | undefined> => {
    let { encryptKey, encryptKeyFile } = globals;
    if (encryptKey && encryptKeyFile) {
      // A flag wins over an environment variable; two flags (or two variables) are ambiguous.
      const keyFromCli = program.getOptionValueSource('encryptKey') === 'cli';
      const fileFromCli = program.getOptionValueSource('encryptKeyFile') === 'cli';
      if (keyFromCli === fileFromCli) throw usageError('give the key either with --encrypt-key or with --encrypt-key-file, not both');
      if (keyFromCli) encryptKeyFile = undefined;
      else encryptKey = undefined;
    }
    const keys = encryptKeyFile ? await readKeyFile(encryptKeyFile) : encryptKey ? { text: encryptKey, name: '--encrypt-key / SESSIONS_ENCRYPTION_KEY' } : undefined;
    if (!keys) return undefined;
    for (const item of keys.text.split(',')) secrets.add(item.slice(item.indexOf(':') + 1).trim());
    return loadEncryption(keys);
  };

  // Each action runs with an opened store and closes it afterwards, whatever happens.
  const withStore =
    <A extends unknown[]>(fn: (store: SessionStore, out: Output, ...args: A) => Promise<void>, open: { setup?: boolean } = {}) =>
    async (...args: unknown[]) => {
      const { globals, out } = contextOf(args[args.length - 1] as Command);
      const encryption = await encryptionOf(globals);
      const store = await openCliStore(resolveStoreUrl(globals.store), { encryption, secrets, ...open });
      try {
        await fn(store, out, ...(args.slice(0, -1) as A));
      } finally {
        await store.close();
      }
    };

  program
    .command('demo')
    .description('a scripted multi-agent support conversation on the store, end to end (no server, no API key)')
    .addHelpText('after', '\nSets the store up first, as migrate does.\n\nExamples:\n  sessions demo\n  sessions demo --store memory:\n  sessions demo --json')
    .action(withStore((store, out) => demoCommand(store, out), { setup: true }));

  program
    .command('ui')
    .description('the session inspector: a local web app over the store, live (binds 127.0.0.1, needs the token it prints)')
    .option('-p, --port <port>', 'port to listen on (0: a free one)', count('--port'), 0)
    .option('--host <host>', 'address to bind; anything but 127.0.0.1 / localhost lets other machines reach it', '127.0.0.1')
    .option('--read-only', 'refuse every action that changes the store (fork, delete, edit metadata)', false)
    .addHelpText('after', '\nExamples:\n  sessions ui\n  sessions ui --store redis://localhost:6379 --read-only\n  sessions ui --port 7777')
    .action(withStore((store, out, opts: { port: number; host: string; readOnly: boolean }) => uiCommand(store, out, opts)));

  program
    .command('ls <user>')
    .description("list a user's sessions, newest first")
    .option('-n, --limit <n>', 'page size (max 1000)', count('--limit'), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'every page', false)
    .addHelpText('after', '\nExamples:\n  sessions ls alice\n  sessions ls alice --all --json')
    .action(withStore((store, out, user: string, opts: { limit: number; cursor?: string; all: boolean }) => ls(store, out, user, opts)));

  program
    .command('show <user> <session>')
    .description('a session and its messages (control characters in them are shown, not obeyed)')
    .option('--last <n>', 'only the newest n messages', count('--last'))
    .addHelpText('after', '\nExamples:\n  sessions show alice chat-1 --last 20')
    .action(withStore((store, out, user: string, session: string, opts: { last?: number }) => show(store, out, user, session, opts.last)));

  program
    .command('rm <user> <session>')
    .description('delete one session')
    .addHelpText('after', '\nExamples:\n  sessions rm alice chat-1')
    .action(withStore((store, out, user: string, session: string) => rm(store, out, user, session)));

  program
    .command('rm-user <user>')
    .description('delete every session of a user')
    .addHelpText('after', '\nExamples:\n  sessions rm-user alice')
    .action(withStore((store, out, user: string) => rmUser(store, out, user)));

  program
    .command('export')
    .description('write sessions as JSON Lines (streamed); a file is created readable by you only (0600)')
    .option('-u, --user <user...>', 'only these users (default: all)')
    .option('-o, --out <file>', 'write to a file (default: stdout)')
    .addHelpText('after', '\nExamples:\n  sessions export --out backup.jsonl\n  sessions export --user alice > alice.jsonl')
    .action(withStore((store, out, opts: { user?: string[]; out?: string }) => exportCommand(store, out, opts)));

  program
    .command('import')
    .description('read sessions from JSON Lines: the whole file is checked first, so a refused file writes nothing')
    .option('-i, --in <file>', 'read a file (default: stdin)')
    .option('-u, --user <user>', "import into this user only: refuse a file holding another user's session")
    .addOption(new Option('--on-existing <mode>', 'a session the store already holds: error, skip it, or resume an earlier import of it').choices(['skip', 'error', 'resume']).default('error'))
    .addHelpText('after', '\nExamples:\n  sessions import --in backup.jsonl --store postgres://localhost/app\n  sessions import --in alice.jsonl --user alice --on-existing resume')
    .action(
      withStore((store, out, opts: { in?: string; user?: string; onExisting: 'skip' | 'error' | 'resume' }) =>
        importCommand(store, out, { ...opts, stdin: io.stdin ?? process.stdin }),
      ),
    );

  program
    .command('copy')
    .description('copy every session from one store to another (resumable, verified by counts)')
    .requiredOption('--from <url>', 'the source store URL')
    .requiredOption('--to <url>', 'the target store URL (set up first, as migrate does)')
    .option('-u, --user <user...>', 'only these users (default: all)')
    .addHelpText('after', '\nExamples:\n  sessions copy --from redis://localhost:6379 --to postgres://localhost/app\n  sessions copy --from pglite:./.sessions --to sqlite:./sessions.db')
    .action(async (opts: { from: string; to: string; user?: string[] }, command: Command) => {
      const { globals, out } = contextOf(command);
      await copyCommand(out, { ...opts, encryption: await encryptionOf(globals), secrets });
    });

  program
    .command('prune')
    .description('delete expired sessions')
    .option('--batch-size <n>', 'sessions per round trip', count('--batch-size'))
    .action(withStore((store, out, opts: { batchSize?: number }) => prune(store, out, opts.batchSize)));

  program
    .command('migrate')
    .description('set the store up: apply the schema (SQL stores) or create the table (DynamoDB); safe to re-run')
    .addHelpText('after', '\nExamples:\n  sessions migrate --store postgres://localhost/app\n  sessions migrate --store dynamodb://localhost:8000/sessions')
    .action(withStore((store, out) => migrateCommand(store, out), { setup: true }));

  program
    .command('health')
    .description('check that the store answers')
    .action(withStore((store, out) => health(store, out)));

  program
    .command('stats [users...]')
    .description('users, sessions and messages held')
    .action(withStore((store, out, users: string[]) => stats(store, out, users)));

  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, { stderr, verbose, json, secrets });
  }
}
