#!/usr/bin/env node
import { runCli } from './cli.js';

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
