import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/db/client.js';
import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import { Chat } from '../helpers/chat.js';
import { importFixtureOrg } from '../helpers/org.js';
import { link, type Who } from '../helpers/roster.js';

/** Imports the fixture organisation, links the chats of `who` and returns their person ids. */
export async function setupOrg(database: Database, h: Pick<Harness, 'config'>, ...who: Who[]): Promise<Record<Who, number>> {
  await importFixtureOrg(database, h.config);
  const ids = {} as Record<Who, number>;
  for (const w of who) ids[w] = await link(database, w);
  return ids;
}

const dir = mkdtempSync(join(tmpdir(), 'capuy-schedule-'));
let n = 0;
export const HEADER = 'date,start,end,content,place,chair,participants,unit_code,ref,participant_units';

/** Writes a CSV (header + lines) and returns its path. */
export function csv(...lines: string[]): string {
  const p = join(dir, `schedule-${++n}.csv`);
  writeFileSync(p, [HEADER, ...lines].join('\n'));
  return p;
}

export function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

export async function runCli(h: Harness, ...argv: string[]) {
  const res = await cli(h.database, h.config, argv, h.clock);
  h.app.worker.kick();
  return res;
}

export async function ok(h: Harness, ...argv: string[]): Promise<string> {
  const res = await runCli(h, ...argv);
  if (res.code !== 0) throw new Error(`cli ${argv.join(' ')} failed (${res.code}): ${res.err}`);
  return res.out;
}

const chat = (h: Harness, who: Who) => Chat.of(() => h, who);

/** The messages to a chat after the first `skip`. */
export function since(h: Harness, who: Who, skip: number): StoredMessage[] {
  return chat(h, who).messages().slice(skip);
}

export function count(h: Harness, who: Who): number {
  return chat(h, who).messages().length;
}

/** Waits for `more` messages after the first `skip`, then returns them. */
export async function next(h: Harness, who: Who, skip: number, more = 1, timeoutMs = 8000): Promise<StoredMessage[]> {
  return chat(h, who).nextMany(skip, more, timeoutMs);
}

/** Lets the worker drain, for asserting that nothing (more) was sent. */
export async function settle(h: Harness, ms = 1500): Promise<void> {
  h.app.worker.kick();
  await new Promise((r) => setTimeout(r, ms));
}

/** Sends a text as a person and waits for the bot's answer(s). */
export async function say(h: Harness, who: Who, text: string, answers = 1): Promise<StoredMessage[]> {
  return chat(h, who).sayMany(text, answers);
}

/** Presses a button of a message and waits until the bot answered the press. */
export async function press(h: Harness, who: Who, msg: StoredMessage, data: string) {
  return (await chat(h, who).press(data, { on: msg, reply: false })).answer;
}
