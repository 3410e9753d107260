import { defineConfig } from 'prisma/config';

// Only `prisma generate` is run by the project; migrations are applied by the app (src/db/migrate.ts).
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
