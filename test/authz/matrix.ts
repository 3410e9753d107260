import type { Rule, Grant } from '../../src/application/policy.js';
import type { Harness } from '../helpers/harness.js';
import { covers, INSIDE, OUTSIDE, type MatrixActor } from './roster.js';

/**
 * What the policy table says about this actor on this target: `in`/`out` of the actor's subtree
 * (for `own` rules: the actor's own object or someone else's), null when the entry has no target.
 */
export function expectedAllowed(rule: Rule, a: MatrixActor, target: 'in' | 'out' | null): boolean {
  return [rule as Grant, ...(rule.or ?? [])].some((g) => grantAllows(g, a, target));
}

function grantAllows(g: Grant, a: MatrixActor, side: 'in' | 'out' | null): boolean {
  if (g.who === 'anyone') return true;
  if (!a.linked) return false;
  if (g.who !== 'linked' && (a.role === null || !g.who.includes(a.role))) return false;
  if (g.scope === 'own') return side !== 'out';
  if (g.scope === 'none' || side === null) return true;
  const target = side === 'in' ? INSIDE : OUTSIDE;
  if (!a.at) return false;
  // `reach` adds the units above the held ones; the matrix's targets are never above them.
  return g.scope === 'direct' ? a.at === target : covers(a.at, target);
}

/** One attempt: what a person sends (a text, a button press, or a text while a flow is active). */
export type Attempt =
  | { text: string; group?: { id: number; title: string } }
  | { press: string }
  | { flow: { name: string; data: Record<string, unknown> }; text: string };

export interface Driver {
  harness: Harness;
  /** A message of the bot in the actor's chat, to press forged buttons on. */
  anchor(a: MatrixActor): Promise<{ chat_id: number; message_id: number }>;
}

/** Sends the attempt and waits until the bot has handled it (its update is confirmed to the emulator). */
export async function attempt(d: Driver, a: MatrixActor, what: Attempt): Promise<void> {
  const emu = d.harness.emulator;
  let update: { update_id: number };
  if ('press' in what) {
    const target = await d.anchor(a);
    const id = emu.pressButton(a.user, target, what.press, { force: true });
    update = emu.pendingUpdates.find((u) => 'callback_query' in u && u.callback_query.id === id)!;
  } else {
    if ('flow' in what) {
      const chat = await d.harness.db.chatIdentity.upsert({
        where: { channel_chatId: { channel: 'telegram', chatId: String(a.user.id) } },
        create: { channel: 'telegram', chatId: String(a.user.id), isGroup: false },
        update: {},
      });
      await d.harness.db.chatState.upsert({
        where: { chatIdentityId: chat.id },
        create: { chatIdentityId: chat.id, flow: what.flow.name, data: what.flow.data as object },
        update: { flow: what.flow.name, data: what.flow.data as object },
      });
    }
    const group = 'group' in what && what.group ? { id: what.group.id, type: 'supergroup' as const, title: what.group.title } : undefined;
    update = emu.sendText(a.user, what.text, group);
  }
  await emu.waitUntil(
    () => !emu.pendingUpdates.some((u) => u.update_id === update.update_id) || undefined,
    10_000,
    `update ${update.update_id} acknowledged`,
  );
  // Acknowledged means stored in the durable inbox; the refusal (or not) is known once it is handled from there.
  const db = d.harness.db;
  const handled = async () =>
    !!(await db.inboxUpdate.findFirst({ where: { channel: 'telegram', updateId: String(update.update_id), handledAt: { not: null } } }));
  for (const end = Date.now() + 30_000; !(await handled());) {
    if (Date.now() > end) {
      const row = await db.inboxUpdate.findFirst({ where: { channel: 'telegram', updateId: String(update.update_id) } });
      throw new Error(
        `update ${update.update_id} not handled within 30 s: ${JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}
