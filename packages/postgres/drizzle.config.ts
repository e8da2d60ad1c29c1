import { defineConfig } from 'drizzle-kit';

// `npx drizzle-kit generate` (from this folder) writes a new migration into ./migrations after a
// change to src/schema.ts. Never edit a migration that has been released: add a new one.
export default defineConfig({
  dialect: 'postgresql',
  schema: './drizzle.schema.ts',
  out: './migrations',
});
