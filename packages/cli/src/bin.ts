#!/usr/bin/env node
import { runCli } from './cli.js';

// A reader that stops early (`sessions export | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of crashing on the write that finds it closed.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
});

// The one place that touches process.exit: runCli itself only resolves an exit code.
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`sessions: unexpected failure: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
