// A second process for the PGlite lock test: opens `pglite:<dir>`, appends, prints OPEN, holds
// the database until stdin closes, then closes it. Prints REFUSED <code> when the open fails.
import { PostgresSessionStore } from '@sessions/postgres';

const dir = process.argv[2]!;
try {
  const store = await PostgresSessionStore.fromUrl(`pglite:${dir}`);
  await store.setup();
  await store.append('holder', String(process.pid), { n: 1 });
  process.stdout.write('OPEN\n');
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on('end', resolve));
  await store.close();
} catch (error) {
  process.stdout.write(`REFUSED ${(error as { code?: string }).code} ${(error as Error).message}\n`);
  process.exitCode = 3;
}
