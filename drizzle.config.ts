import { defineConfig } from 'drizzle-kit';

// Used only by `npm run db:generate` to write reviewed SQL migrations; the server applies them itself.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema/index.ts',
  out: './server/src/db/migrations',
});
