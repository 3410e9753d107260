import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where a channel may be named: its adapter, the emulator, the Telegram-based sandbox, generated code. */
const exempt = ['src/channels/', 'src/emulator/', 'src/sandbox/', 'src/db/generated/'];
/** Named on purpose: the environment's variables, and the list of channel names chat identities store. */
const vocabulary = ['src/config.ts', 'src/core/messages.ts'];

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .filter((f) => !exempt.some((p) => f.startsWith(p)));
}

/** The code without its comments (good enough for this: no comment markers inside the strings searched for). */
function code(file: string): string {
  return readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/**
 * Channels are reached through src/channels/registry.ts (ChannelAdapter): no other module imports a
 * channel's folder or names a channel in its code, so adding one (Zalo) touches only its folder and
 * the registry. ESLint bans the imports (eslint.config.js); this also catches names and links.
 */
describe('only src/channels/ names a channel', () => {
  const files = [...sources('src'), ...sources('commands')];

  it('finds the files it checks', () => {
    expect(files).toContain('src/app.ts');
    expect(files).toContain('src/http/server.ts');
    expect(files.length).toBeGreaterThan(100);
  });

  it('no module outside src/channels/ imports a channel folder, telegraf or a t.me link', () => {
    const offending = files.flatMap((f) => {
      const text = code(f);
      const hits = [
        /from\s+'[^']*channels\/[^/']+\/[^']*'/.exec(text)?.[0],
        /from\s+'telegraf[^']*'/.exec(text)?.[0],
        /t\.me\//.exec(text)?.[0],
      ].filter(Boolean);
      return hits.map((h) => `${f}: ${h}`);
    });
    expect(offending).toEqual([]);
  });

  it('no module outside src/channels/ names Telegram in its code', () => {
    const offending = files.filter((f) => !vocabulary.includes(f) && /telegram/i.test(code(f)));
    expect(offending).toEqual([]);
  });
});
