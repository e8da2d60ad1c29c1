#!/usr/bin/env node
// Runs a command with every test server started once (see ../README.md).
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../src/cli.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
