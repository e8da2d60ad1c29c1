import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { ensureServices, isCi, parseServices, SERVICE_NAMES, type StartedService } from './services.js';

const USAGE = 'usage: with-services [--services redis,cluster,postgres,dynamo] -- <command> [args...]';

/**
 * `with-services [--services a,b] -- <command>`: starts the services once, exports their env
 * vars, runs the command, stops the services when it ends (also on SIGINT/SIGTERM or a
 * failure) and exits with the command's exit code.
 */
export async function main(argv: string[]): Promise<number> {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? [] : argv.slice(0, separator);
  const command = separator === -1 ? argv : argv.slice(separator + 1);
  const servicesFlag = own.indexOf('--services');
  const wanted = servicesFlag === -1 ? [...SERVICE_NAMES] : parseServices(own[servicesFlag + 1]);
  const [program, ...args] = command;
  if (program === undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }

  let started: StartedService[] = [];
  let stopping: Promise<void> | undefined;
  const stopAll = () => (stopping ??= Promise.all(started.map((s) => s.stop())).then(() => undefined));

  const t0 = Date.now();
  try {
    started = await ensureServices(wanted, { ci: isCi() });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stderr.write(
    `[test-services] ${started.map((s) => `${s.name} ${s.startMs} ms`).join(', ') || 'nothing to start'} (total ${Date.now() - t0} ms)\n`,
  );

  // npm scripts put node_modules/.bin on PATH; direct runs get the workspace's too.
  const bin = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` };
  const child = spawn(program, args, { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal);
  };
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  process.on('SIGHUP', forward('SIGHUP'));

  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`[test-services] could not run ${program}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => {
      resolve(exitCode ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1));
    });
  });
  await stopAll();
  return code;
}
