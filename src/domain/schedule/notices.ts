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

/**
 * Queues the "Lịch thay đổi" notices for a batch of changes: for an item of this or next week, to
 * the recipients of the digest that listed it, and to its participants (urgent) when that digest or
 * a reminder went out. Items nobody has been told about yet change silently. One message per person
 * per batch; the person who made the change is not told.
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

  for (const c of changes) {
    const versions = [c.before, c.after].filter((s) => s !== null);
    const weeks = [...new Set(versions.map((s) => weekOf(DateTime.fromISO(s.startsAt, { zone }), zone).key))].filter((k) => live.has(k));
    if (weeks.length === 0) continue;
    const digests = await tx.scheduleDigest.findMany({
      where: { unitId: { in: [...new Set(versions.map((s) => s.unitId))] }, week: { in: weeks } },
      select: { recipients: { select: { personId: true } } },
    });
    const recipients = new Set(digests.flatMap((d) => d.recipients.map((r) => r.personId)));
    const reminded = await remindedPeople(tx, c.itemId);
    if (digests.length === 0 && reminded.size === 0) continue;
    const takers = await takersOf(
      tx,
      versions.map((s, i) => ({ id: i, unitIds: s.unitIds, personIds: s.personIds })),
    );
    const participants = new Set([...takers.values()].flatMap((s) => [...s]));
    const optedOut = await digestOptedOut(tx, [...recipients]);
    for (const p of recipients) if (!optedOut.has(p) && !participants.has(p)) add(p, c, false);
    for (const p of participants) if (digests.length > 0 || reminded.has(p)) add(p, c, true);
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

async function remindedPeople(tx: Tx, itemId: number): Promise<Set<number>> {
  const rows = await tx.outboxMessage.findMany({
    where: { dedupeKey: { startsWith: remindKeyPrefix(itemId) } },
    select: { dedupeKey: true },
  });
  return new Set(rows.map((r) => Number(/:person:(\d+):/.exec(r.dedupeKey)?.[1])).filter((n) => Number.isFinite(n)));
}
