import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMigrations } from '../../src/db/migrate.js';

/** Where the migrated PGlite template for the current migrations (names and contents) is kept. */
export function templatePath(): string {
  const hash = createHash('sha256')
    .update(
      readMigrations()
        // Names too: a renamed migration is applied under its new name, so it needs a new template.
        .map((m) => `${m.name}:${m.checksum}`)
        .join(','),
    )
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), 'capuy-test', `template-${hash}.tar`);
}
