// Generates the Prisma client without Prisma's downloadable engines: `prisma generate` does not use
// the schema engine, but the CLI insists on finding one, so point it at any executable (see
// shared/docs/platform-notes.md). Skips work when the schema has not changed since last time.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const schema = readFileSync('prisma/schema.prisma');
const stamp = 'src/db/generated/.schema-hash';
const hash = createHash('sha256').update(schema).digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) process.exit(0);

execFileSync(process.execPath, ['node_modules/prisma/build/index.js', 'generate'], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
writeFileSync(stamp, hash);
