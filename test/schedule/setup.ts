import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../src/db/client.js';
import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import { importFixtureOrg, linkByPhone } from '../helpers/org.js';

/** People of test/fixtures/people.csv with the Telegram user id each schedule test uses for them. */
export const P = {
  AN: { id: 9101, first_name: 'An', phone: '+84912345678' }, // admin DBK
  BINH: { id: 9102, first_name: 'Bình', phone: '+84903111222' }, // văn phòng DBK
  DUNG: { id: 9104, first_name: 'Dũng', phone: '+84908765432' }, // phụ trách DB-BTG, cấp ủy viên DBK
  HANH: { id: 9105, first_name: 'Hạnh', phone: '+84913222333' }, // bí thư CB1-BTG
  HUNG: { id: 9106, first_name: 'Hùng', phone: '+84913222444' }, // bí thư CB2-BTG
  LAN: { id: 9107, first_name: 'Lan', phone: '+84913222555' }, // bí thư CB3-BTG
  LONG: { id: 9108, first_name: 'Long', phone: '+84913222666' }, // phó bí thư CB3-BTG
  NGOC: { id: 9110, first_name: 'Ngọc', phone: '+84914333888' }, // bí thư CB1-MT
} as const;
export type Who = keyof typeof P;

export async function setupOrg(database: Database, h: Pick<Harness, 'config'>, ...who: Who[]): Promise<Record<Who, number>> {
  await importFixtureOrg(database, h.config);
  const ids = {} as Record<Who, number>;
  for (const w of who) ids[w] = await linkByPhone(database, P[w].phone, P[w].id);
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

/** The messages to a chat after the first `skip`. */
export function since(h: Harness, who: Who, skip: number): StoredMessage[] {
  return h.emulator.messagesTo(P[who].id).slice(skip);
}

export function count(h: Harness, who: Who): number {
  return h.emulator.messagesTo(P[who].id).length;
}

/** Waits for `more` messages after the first `skip`, then returns them. */
export async function next(h: Harness, who: Who, skip: number, more = 1, timeoutMs = 8000): Promise<StoredMessage[]> {
  await h.emulator.waitForMessages(P[who].id, skip + more, timeoutMs);
  return since(h, who, skip);
}

/** Lets the worker drain, for asserting that nothing (more) was sent. */
export async function settle(h: Harness, ms = 1500): Promise<void> {
  h.app.worker.kick();
  await new Promise((r) => setTimeout(r, ms));
}

/** Sends a text as a person and waits for the bot's answer(s). */
export async function say(h: Harness, who: Who, text: string, answers = 1): Promise<StoredMessage[]> {
  const before = count(h, who);
  h.emulator.sendText(P[who], text);
  return next(h, who, before, answers);
}

/** Presses a button of a message and waits until the bot answered the press. */
export async function press(h: Harness, who: Who, msg: StoredMessage, data: string) {
  const id = h.emulator.pressButton(P[who], msg, data);
  return h.emulator.waitForCallbackAnswer(id);
}

export function buttonsOf(msg: StoredMessage): string[] {
  const markup = msg.reply_markup as { inline_keyboard?: { callback_data?: string; text: string }[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat().map((b) => b.callback_data ?? '');
}
