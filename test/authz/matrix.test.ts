import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRouter } from '../../commands/index.js';
import { ruleOf } from '../../src/application/policies.js';
import { features } from '../../src/features.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { importFixtureOrg } from '../helpers/org.js';
import { attempt, expectedAllowed, type Attempt, type Driver } from './matrix.js';
import { probes, seedTargets, type Targets } from './probes.js';
import { INSIDE, matrixActors, OUTSIDE, seedActors, type MatrixActor } from './roster.js';

/**
 * The authorisation matrix, generated from the feature registry: every command, every button
 * action and every flow × every role (held in a đảng bộ and in a chi bộ), a linked person without
 * roles and a stranger × a target inside and outside the actor's subtree. What is expected comes
 * from the policy table the entry names; what happened is read from the real bot over HTTP: a
 * refusal is an audited `denied:` row for a linked person, the "not linked" answer for a stranger.
 */
interface Entry {
  id: string;
  policy: string | undefined;
}

function registryEntries(): Entry[] {
  const router = createRouter(features);
  const entries: Entry[] = [];
  for (const c of router.commands.values()) entries.push({ id: `command:${c.name}`, policy: c.policy });
  for (const b of router.buttonDefs) {
    if (!b.actions) entries.push({ id: `button:${b.prefix}`, policy: undefined });
    for (const a of b.actions ?? []) entries.push({ id: `button:${b.prefix}:${a.action}`, policy: a.policy });
  }
  for (const f of router.flowDefs) entries.push({ id: `flow:${f.name}`, policy: f.policy });
  return entries;
}

const NOT_LINKED = 'chưa được liên kết';

describe('authorisation matrix', () => {
  let h: Harness;
  let targets: Targets;
  const actors = matrixActors();
  const entries = registryEntries();
  const anchors = new Map<number, { chat_id: number; message_id: number }>();

  beforeAll(async () => {
    h = await startHarness({ now: '2026-12-01T09:00' });
    await importFixtureOrg(h.database, h.config);
    await seedActors(h.db, actors);
    targets = await seedTargets(h);
    const d = driver();
    for (const a of actors) await d.anchor(a);
  });
  afterAll(() => h?.stop());

  const driver = (): Driver => ({
    harness: h,
    async anchor(a) {
      const known = anchors.get(a.user.id);
      if (known) return known;
      const n = h.emulator.messagesTo(a.user.id).length;
      h.emulator.sendText(a.user, '/help');
      const [m] = (await h.emulator.waitForMessages(a.user.id, n + 1)).slice(n);
      const anchor = { chat_id: a.user.id, message_id: m!.message_id };
      anchors.set(a.user.id, anchor);
      return anchor;
    },
  });

  it('names a policy rule and a probe for every command, button action and flow', () => {
    const missingPolicy = entries.filter((e) => !e.policy || !ruleOf(e.policy)).map((e) => `${e.id} → ${e.policy ?? '(none)'}`);
    const missingProbe = entries.filter((e) => !probes[e.id]).map((e) => e.id);
    expect(missingPolicy, 'entries without a policy rule').toEqual([]);
    expect(missingProbe, 'entries without a probe in test/authz/probes.ts').toEqual([]);
  });

  it('allows and refuses exactly what the policy tables say', async () => {
    const cases: { entry: Entry; side: 'in' | 'out' | null }[] = [];
    for (const entry of entries) {
      const probe = probes[entry.id];
      if (!probe || !entry.policy || !ruleOf(entry.policy)) continue;
      for (const side of probe.targets ?? [null]) cases.push({ entry, side });
    }
    const wrong: string[] = [];
    let ran = 0;
    const d = driver();
    // Refusals first: they must change nothing, so the allowed attempts that follow find the targets intact.
    for (const pass of ['refused', 'allowed'] as const) {
      await Promise.all(
        actors.map(async (a) => {
          for (const { entry, side } of cases) {
            const rule = ruleOf(entry.policy!)!;
            const expected = expectedAllowed(rule, a, side);
            if ((pass === 'allowed') !== expected) continue;
            const target = side === 'in' ? INSIDE : side === 'out' ? OUTSIDE : null;
            const what = probes[entry.id]!.attempt(targets, target, a);
            const refused = await observeRefusal(d, a, what, rule.who === 'anyone');
            ran++;
            if (refused === expected) wrong.push(`${entry.id} ${a.key} → ${side ?? '-'}: expected ${expected ? 'allowed' : 'refused'}`);
          }
        }),
      );
    }
    console.log(`authorisation matrix: ${ran} cases (${entries.length} entries × ${actors.length} actors × targets)`);
    expect(wrong).toEqual([]);
  }, 600_000);

  async function observeRefusal(d: Driver, a: MatrixActor, what: Attempt, forAnyone: boolean): Promise<boolean> {
    if (a.linked) {
      const denied = () => h.db.auditLog.count({ where: { actorId: a.personId!, action: { startsWith: 'denied:' } } });
      const before = await denied();
      await attempt(d, a, what);
      return (await denied()) > before;
    }
    const chatId = 'group' in what && what.group ? what.group.id : a.user.id;
    const n = h.emulator.messagesTo(chatId).length;
    const answers = h.emulator.callbackAnswers.length;
    await attempt(d, a, what);
    const said = [
      ...h.emulator
        .messagesTo(chatId)
        .slice(n)
        .map((m) => m.plainText),
      ...h.emulator.callbackAnswers.slice(answers).map((x) => x.text ?? ''),
    ];
    // What anyone may use answers a stranger with how to join; that answer is the service, not a refusal.
    if (forAnyone) return said.length === 0;
    return said.some((s) => s.includes(NOT_LINKED));
  }
});
