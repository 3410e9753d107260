import { DateTime } from 'luxon';
import { enqueue, type OutboxItem } from '../../delivery/outbox.js';
import { reachChats } from '../reach.js';
import { t as translate } from '../../i18n.js';
import { digestOptedOut, readers } from './audience.js';
import type { ChangeRecord } from './changes.js';
import type { Tx } from './model.js';
import { changeBlock } from './noticeText.js';
import { concerns, takersOf } from './participants.js';
import { packBlocks } from './render.js';
import { nextWeek, weekOf } from './week.js';

/** Reminder keys start with this, so a change can tell who was reminded of an item. */
export const remindKeyPrefix = (itemId: number) => `schedule:remind:${itemId}:`;

interface Audience {
  urgent: boolean;
  changes: ChangeRecord[];
}

/** Does the change move the item (day, time or place) or call it off: what a reader of the digest planned around. */
function movesOrCancels(c: ChangeRecord): boolean {
  if (!c.before) return false;
  if (c.kind === 'cancelled' || c.kind === 'restored') return true;
  return c.before.startsAt !== c.after.startsAt || c.before.endsAt !== c.after.endsAt || c.before.place !== c.after.place;
}

/**
 * Queues the "Lịch thay đổi" notices for a batch of changes (issue 13 #1):
 * - the item's participants (people named, secretaries of the units named, before or after the
 *   change) are always told of an edit, cancellation or restoration of an item still ahead, whether
 *   or not the week's digest has gone out (urgent); of a new item only once its week's digest has
 *   gone out (otherwise the digest tells them);
 * - the other recipients of the digest that listed the item are told only when the change moves it
 *   (day, time, place) or cancels/restores it, and not when they turned the digest off.
 * One message per person per batch, whatever the reasons; the person who made the change is not told.
 */
export async function queueChangeNotices(
  tx: Tx,
  zone: string,
  now: DateTime,
  changes: ChangeRecord[],
  actorId: number | null,
): Promise<number> {
  if (changes.length === 0) return 0;
  const current = weekOf(now, zone);
  const live = new Set([current.key, nextWeek(current, zone).key]);
  const byPerson = new Map<number, Audience>();
  const add = (personId: number, change: ChangeRecord, urgent: boolean) => {
    if (personId === actorId) return;
    const a = byPerson.get(personId) ?? { urgent: false, changes: [] };
    if (!a.changes.includes(change)) a.changes.push(change);
    a.urgent ||= urgent;
    byPerson.set(personId, a);
  };
  const created = new Map(
    (
      await tx.scheduleItem.findMany({
        where: { id: { in: [...new Set(changes.map((c) => c.itemId))] } },
        select: { id: true, createdAt: true },
      })
    ).map((i) => [i.id, i.createdAt]),
  );

  for (const c of changes) {
    const versions = [c.before, c.after].filter((s) => s !== null);
    // An item already over (before and after) is a correction of the record: nobody needs telling.
    if (versions.every((s) => DateTime.fromISO(s.startsAt, { zone }) < now)) continue;
    const takers = await takersOf(
      tx,
      versions.map((s, i) => ({ id: i, unitIds: s.unitIds, personIds: s.personIds })),
    );
    const participants = new Set([...takers.values()].flatMap((s) => [...s]));

    if (c.kind === 'created') {
      const week = weekOf(DateTime.fromISO(c.after.startsAt, { zone }), zone).key;
      const sent = live.has(week) && (await tx.scheduleDigest.count({ where: { unitId: c.after.unitId, week } })) > 0;
      if (sent) for (const p of participants) add(p, c, true);
      continue;
    }
    for (const p of participants) add(p, c, true);

    if (!movesOrCancels(c)) continue;
    // The digest that listed the item as it was: its unit's, for the week it was in, sent after the item existed.
    const before = c.before!;
    const week = weekOf(DateTime.fromISO(before.startsAt, { zone }), zone).key;
    const digests = await tx.scheduleDigest.findMany({
      where: { unitId: before.unitId, week, sentAt: { gte: created.get(c.itemId) ?? new Date(0) } },
      select: { recipients: { select: { personId: true } } },
    });
    const recipients = new Set(digests.flatMap((d) => d.recipients.map((r) => r.personId)));
    const optedOut = await digestOptedOut(tx, [...recipients]);
    for (const p of recipients) if (!optedOut.has(p) && !participants.has(p)) add(p, c, false);
  }
  if (byPerson.size === 0) return 0;

  const batch = Math.min(...changes.map((c) => c.id));
  const people = await readers(tx, [...byPerson.keys()]);
  const unitNames = new Map(
    (
      await tx.unit.findMany({
        where: { id: { in: [...new Set(changes.flatMap((c) => [c.after.unitId, c.before?.unitId ?? c.after.unitId]))] } },
        select: { id: true, name: true },
      })
    ).map((u) => [u.id, u.name]),
  );
  const chats = await reachChats(tx, [...byPerson.keys()]);
  const items: OutboxItem[] = [];
  for (const [personId, a] of byPerson) {
    const reader = people.get(personId);
    if (!reader) continue;
    const t = translate(reader.locale);
    const units = [...new Set(a.changes.map((c) => c.after.unitId))];
    const unit = units.length === 1 ? unitNames.get(units[0]!) : undefined;
    const header = unit ? t('schedule:notice.title_unit', { unit }) : t('schedule:notice.title');
    const blocks = a.changes.map((c) =>
      changeBlock(
        t,
        reader.locale,
        zone,
        c,
        [c.before, c.after].some((s) => s && concerns(s, reader)),
      ),
    );
    const parts = packBlocks(t, [header, ...blocks]);
    for (const chat of chats.filter((ch) => ch.personId === personId)) {
      parts.forEach((text, n) =>
        items.push({
          chatIdentityId: chat.id,
          dedupeKey: `schedule:change:${batch}:person:${personId}:chat:${chat.id}:${n + 1}`,
          payload: { text },
          urgent: a.urgent,
        }),
      );
    }
  }
  return enqueue(tx, items);
}
