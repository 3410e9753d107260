// Compiles the bot to plain JavaScript under dist/ so that production (`npm start`, `npm run cli`,
// the Docker image) runs without a TypeScript compiler in the process: esbuild (already installed
// as tsx's own dependency) strips the types file by file, keeping the source layout, so every
// `import.meta.url`-relative path (locales, migrations, views, the sandbox page, questionnaires)
// resolves inside dist/ exactly as it does in the sources; those files are copied next to the code.
// Not bundled: the module graph stays the same as in the sources, and lazy `import()`s stay lazy.
//
// Skips all work when nothing it reads has changed since the last build (a hash of the inputs in
// dist/.build-hash), so `npm start` and `npm run cli` pay ~30 ms for the check. The new tree is
// written beside dist/ and swapped in with renames, so a process starting meanwhile never sees half
// a build. `node scripts/build.mjs --out <dir>` builds elsewhere (tests).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

// The Prisma client is generated code under src/: (re)generate it first when the schema changed
// (the same check as scripts/prisma-generate.mjs, done here so the usual case starts no extra process).
const schemaHash = createHash('sha256').update(readFileSync('prisma/schema.prisma')).digest('hex');
const schemaStamp = 'src/db/generated/.schema-hash';
if (!existsSync(schemaStamp) || readFileSync(schemaStamp, 'utf8') !== schemaHash) {
  execFileSync(process.execPath, ['scripts/prisma-generate.mjs'], { stdio: 'inherit' });
}
const outArg = process.argv.indexOf('--out');
const out = resolve(root, outArg >= 0 ? process.argv[outArg + 1] : 'dist');
const force = process.argv.includes('--force');

/** Code: every .ts under these folders is compiled; every other file is copied. */
const codeDirs = ['src', 'commands'];
/** Read at run time relative to the code (src/i18n.ts, src/db/migrate.ts). */
const dataDirs = ['locales', 'prisma/migrations'];

function walk(dir) {
  const files = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

const inputs = [...codeDirs, ...dataDirs].flatMap(walk).sort();
const hash = createHash('sha256');
hash.update(readFileSync(fileURLToPath(import.meta.url)));
for (const file of inputs) {
  hash.update(file);
  hash.update('\0');
  hash.update(readFileSync(join(root, file)));
}
const digest = hash.digest('hex');
const stamp = join(out, '.build-hash');
if (!force && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) process.exit(0);

const { build } = await import('esbuild');
const tmp = `${out}.tmp-${process.pid}`;
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });
const ts = inputs.filter((f) => codeDirs.some((d) => f.startsWith(d + '/')) && f.endsWith('.ts') && !f.endsWith('.d.ts'));
await build({
  entryPoints: ts.map((f) => join(root, f)),
  outdir: tmp,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  bundle: false,
  logLevel: 'warning',
});
for (const file of inputs.filter((f) => !f.endsWith('.ts'))) {
  mkdirSync(dirname(join(tmp, file)), { recursive: true });
  cpSync(join(root, file), join(tmp, file));
}
// Node reads "type" from the nearest package.json: the compiled files are ES modules.
writeFileSync(join(tmp, 'package.json'), '{ "type": "module" }\n');
writeFileSync(join(tmp, '.build-hash'), digest);

// Swap in: dist → dist.old-PID, tmp → dist. Another build that finished first leaves an equal tree.
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
try {
  renameSync(tmp, out);
} catch (err) {
  if (!existsSync(out) || !statSync(out).isDirectory()) throw err;
  rmSync(tmp, { recursive: true, force: true });
}
rmSync(old, { recursive: true, force: true });
if (process.stdout.isTTY) console.log(`built ${ts.length} modules into ${relative(root, out) || '.'}/`);
