import { expect } from 'vitest';
import { personActor } from '../../src/application/actor.js';
import { note, report } from '../../src/application/deadlines/index.js';
import { loadPerson } from '../../src/domain/people.js';
import { Chat } from '../helpers/chat.js';
import { cli } from '../helpers/cli.js';
import type { Harness } from '../helpers/harness.js';
import { personId, unitId, type Who } from '../helpers/roster.js';
import { csrfOf, linkOf, WebClient } from './client.js';

/** A formula-like note a secretary typed: exports must show it as text. */
export const NOTE = '=HYPERLINK("https://evil.example","bấm")';
export const TITLE = 'Báo cáo sơ kết công tác tuyên giáo năm 2026';

/**
 * A deadline for four chi bộ (three under DB-BTG, one under DB-UBMT), due Tuesday 08/12/2026,
 * made by the office from the command line; Hạnh (CB1-BTG) reports on time with a note. Returns its id.
 */
export async function seedDeadline(h: Harness): Promise<number> {
  const res = await cli(
    h.database,
    h.config,
    ['deadline', 'add', '--title', TITLE, '--due', '08/12/2026', '--units', 'CB1-BTG,CB2-BTG,CB3-BTG,CB1-MT'],
    h.clock,
  );
  expect(res.code, res.err).toBe(0);
  const id = (await h.db.deadline.findFirstOrThrow({ where: { title: TITLE } })).id;
  const hanh = personActor((await loadPerson(h.db, await personId(h.database, 'hanh')))!, 'telegram:test');
  const cb1 = await unitId(h.database, 'CB1-BTG');
  expect((await report(h.app.svc, hanh, { deadlineId: id, unitId: cb1 })).ok).toBe(true);
  expect((await note(h.app.svc, hanh, { deadlineId: id, unitId: cb1, text: NOTE })).ok).toBe(true);
  return id;
}

/** Signs a person in through /web and the link, as a browser would. */
export async function signedIn(h: Harness, who: Who): Promise<WebClient> {
  const web = new WebClient(h);
  const link = linkOf((await Chat.of(() => h, who).say('/web', '/web/login/')).plainText);
  const confirm = await web.get(link);
  const done = await web.post(link, { _csrf: csrfOf(confirm.text) });
  expect(done.status).toBe(303);
  return web;
}
