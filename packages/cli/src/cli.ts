import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { isSessionStoreError, type SessionStore } from '@sessions/core';
import { CliError, EXIT } from './cli-error.js';
import { createOutput, type Output } from './output.js';
import { openStore, resolveStoreUrl } from './open-store.js';
import { ls } from './commands/ls.js';
import { show } from './commands/show.js';
import { health, prune, rm, rmUser } from './commands/remove.js';
import { stats } from './commands/stats.js';
import { exportCommand, importCommand } from './commands/transfer.js';
import { copyCommand } from './commands/copy.js';
import { migrateCommand } from './commands/migrate.js';
import { demoCommand } from './commands/demo.js';

/** Options every command takes. */
interface GlobalOptions {
  store?: string;
  encryptKey?: string;
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

/**
 * Runs the `sessions` command with `argv` (without `node` and the script) and resolves to
 * the exit code: 0 ok, 1 operational error, 2 usage error. Never calls `process.exit`.
 */
export async function runCli(argv: string[], io: CliIo = {}): Promise<number> {
  const stdout = (io.stdout ?? process.stdout) as NodeJS.WriteStream;
  const stderr = (io.stderr ?? process.stderr) as NodeJS.WriteStream;
  let verbose = argv.includes('--verbose');
  const program = new Command('sessions')
    .description('Inspect, move and demo conversation sessions stored by @sessions.')
    .addOption(new Option('-s, --store <url>', 'the store URL (default: $SESSIONS_STORE, else pglite:./.sessions)'))
    .addOption(new Option('--encrypt-key <key>', 'wrap the store in @sessions/encrypt with this base64 key').env('SESSIONS_ENCRYPTION_KEY'))
    .option('--json', 'machine-readable output', false)
    .option('--verbose', 'stack traces on errors', false)
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', `\nStore URLs: memory:, pglite:./dir, redis://host:6379, redis+cluster://h1:7000,h2:7001,\n  postgres://user@host/db?schema=app, dynamodb://localhost:8000/table?region=us-east-1, dynamodb:table\n\nExamples:\n  sessions demo\n  sessions ls alice --store redis://localhost:6379\n  sessions copy --from redis://localhost:6379 --to postgres://localhost/app`);

  // Each action runs with an opened store and closes it afterwards, whatever happens.
  const withStore =
    <A extends unknown[]>(fn: (store: SessionStore, out: Output, ...args: A) => Promise<void>) =>
    async (...args: unknown[]) => {
      const command = args[args.length - 1] as Command;
      const globals = command.optsWithGlobals<GlobalOptions>();
      verbose = globals.verbose;
      const out = createOutput(globals.json, stdout, stderr);
      const store = await openStore(resolveStoreUrl(globals.store), { encryptKey: globals.encryptKey });
      try {
        await fn(store, out, ...(args.slice(0, -1) as A));
      } finally {
        await store.close();
      }
    };
  const outputFor = (command: Command) => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    verbose = globals.verbose;
    return { globals, out: createOutput(globals.json, stdout, stderr) };
  };

  program
    .command('demo')
    .description('a scripted multi-agent support conversation on the store, end to end (no server, no API key)')
    .addHelpText('after', '\nExamples:\n  sessions demo\n  sessions demo --store memory:\n  sessions demo --json')
    .action(withStore((store, out) => demoCommand(store, out)));

  program
    .command('ls <user>')
    .description("list a user's sessions, newest first")
    .option('-n, --limit <n>', 'page size (max 1000)', count('limit'), 50)
    .option('--cursor <cursor>', 'continue from a previous page')
    .option('--all', 'every page', false)
    .addHelpText('after', '\nExamples:\n  sessions ls alice\n  sessions ls alice --all --json')
    .action(withStore((store, out, user: string, opts: { limit: number; cursor?: string; all: boolean }) => ls(store, out, user, opts)));

  program
    .command('show <user> <session>')
    .description('a session and its messages')
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
    .description('write sessions as JSON Lines (streamed)')
    .option('-u, --user <user...>', 'only these users (default: all)')
    .option('-o, --out <file>', 'write to a file (default: stdout)')
    .addHelpText('after', '\nExamples:\n  sessions export --out backup.jsonl\n  sessions export --user alice > alice.jsonl')
    .action(withStore((store, out, opts: { user?: string[]; out?: string }) => exportCommand(store, out, opts)));

  program
    .command('import')
    .description('read sessions from JSON Lines (streamed)')
    .option('-i, --in <file>', 'read a file (default: stdin)')
    .addOption(new Option('--on-existing <mode>', 'what to do with a session that exists').choices(['skip', 'error', 'resume']).default('error'))
    .addHelpText('after', '\nExamples:\n  sessions import --in backup.jsonl --store postgres://localhost/app')
    .action(
      withStore((store, out, opts: { in?: string; onExisting: 'skip' | 'error' | 'resume' }) =>
        importCommand(store, out, { ...opts, stdin: io.stdin ?? process.stdin }),
      ),
    );

  program
    .command('copy')
    .description('copy every session from one store to another (resumable, verified by counts)')
    .requiredOption('--from <url>', 'the source store URL')
    .requiredOption('--to <url>', 'the target store URL')
    .option('-u, --user <user...>', 'only these users (default: all)')
    .addHelpText('after', '\nExamples:\n  sessions copy --from redis://localhost:6379 --to postgres://localhost/app\n  sessions copy --from pglite:./.sessions --to dynamodb://localhost:8000/sessions')
    .action(async (opts: { from: string; to: string; user?: string[] }, command: Command) => {
      const { globals, out } = outputFor(command);
      await copyCommand(out, { ...opts, encryptKey: globals.encryptKey });
    });

  program
    .command('prune')
    .description('delete expired sessions')
    .option('--batch-size <n>', 'sessions per round trip', count('--batch-size'))
    .action(withStore((store, out, opts: { batchSize?: number }) => prune(store, out, opts.batchSize)));

  program
    .command('migrate')
    .description('apply the schema (PostgreSQL, PGlite) or create the table (DynamoDB)')
    .addHelpText('after', '\nExamples:\n  sessions migrate --store postgres://localhost/app\n  sessions migrate --store dynamodb://localhost:8000/sessions')
    .action(async (_opts: unknown, command: Command) => {
      const { globals, out } = outputFor(command);
      await migrateCommand(out, resolveStoreUrl(globals.store));
    });

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
    return EXIT.ok;
  } catch (error) {
    return reportError(error, stderr, verbose);
  }
}

function reportError(error: unknown, stderr: NodeJS.WritableStream, verbose: boolean): number {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and version exit 0.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  let code: number = EXIT.operational;
  let message: string;
  if (error instanceof CliError) {
    code = error.exitCode;
    message = error.message;
  } else if (isSessionStoreError(error)) {
    message = error.message;
    if (error.code === 'INVALID_ARGUMENT') code = EXIT.usage;
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  stderr.write(`sessions: ${message}\n`);
  if (verbose && error instanceof Error && error.stack) stderr.write(error.stack + '\n');
  else if (!verbose && code === EXIT.operational) stderr.write('(run again with --verbose for details)\n');
  return code;
}
