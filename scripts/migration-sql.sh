#!/usr/bin/env bash
# Prints the SQL that takes the database from schema FROM (default: empty) to prisma/schema.prisma.
# Prisma 7's `migrate` needs its native schema engine, which cannot be downloaded on our machines;
# Prisma 6.19's WebAssembly engine diffs two schemas offline, so we borrow it for authoring only.
# Usage: scripts/migration-sql.sh [FROM_SCHEMA] > prisma/migrations/<ts>_<name>/migration.sql
#   e.g. scripts/migration-sql.sh <(git show HEAD:prisma/schema.prisma)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tool=${PRISMA6_DIR:-/tmp/prisma6-tool}
if [ ! -x "$tool/node_modules/.bin/prisma" ]; then
  mkdir -p "$tool" && (cd "$tool" && npm init -y >/dev/null && npm i --silent prisma@6.19 pglite-prisma-adapter@0.6 @electric-sql/pglite@0.3 >/dev/null 2>&1)
fi
prep() { sed -e '/^generator client {/,/^}/d' -e 's/^\(\s*provider = "postgresql"\)$/\1\n  url = "postgresql:\/\/unused"/' "$1"; }
prep "$root/prisma/schema.prisma" > "$tool/to.prisma"
cat > "$tool/prisma.config.ts" <<'CFG'
import { defineConfig } from 'prisma/config';
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
export default defineConfig({ engine: 'js', experimental: { adapter: true },
  adapter: async () => new PrismaPGlite(new PGlite()) } as any);
CFG
export PRISMA_SCHEMA_ENGINE_BINARY=/bin/true PRISMA_QUERY_ENGINE_LIBRARY=/bin/true \
  PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING=1 CHECKPOINT_DISABLE=1 PRISMA_HIDE_UPDATE_MESSAGE=1
cd "$tool"
if [ $# -ge 1 ]; then
  prep "$1" > from.prisma
  npx prisma migrate diff --from-schema-datamodel from.prisma --to-schema-datamodel to.prisma --script 2>/dev/null
else
  npx prisma migrate diff --from-empty --to-schema-datamodel to.prisma --script 2>/dev/null | grep -v '^CREATE SCHEMA IF NOT EXISTS "public";' | grep -v '^-- CreateSchema$'
fi
