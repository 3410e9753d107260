import type { Clock } from '../../core/clock.js';
import type { Db } from '../../db/client.js';
import type { Prisma } from '../../db/generated/client.js';
import { t as translate } from '../../i18n.js';
import { audit } from '../audit.js';
import { reachChatSql } from '../reach.js';
import type { DocView } from '../docs/store.js';
import { AUDIENCE_PEOPLE, audienceUnits, includesGroups, type Audience } from './audience.js';
import { ackData, composeBroadcast, senderOf } from './compose.js';
import { queueBroadcastParts } from './queue.js';

export interface NewBroadcast {
  /** Same key, same broadcast: a repeated "Gửi" or command creates nothing new. */
  requestKey: string;
  authorId: number | null;
  /** "cli", "telegram:12345"… for the audit log. */
  actor: string;
  text: string;
  /** The attached document, as the caller has checked the author may see it. */
  doc: DocView | null;
  audience: Audience;
  ack: boolean;
  /** Remind those who have not acknowledged after this many hours (once). */
  remindAfterHours: number | null;
}

export interface CreatedBroadcast {
  id: number;
  created: boolean;
  /** Chats messaged: people's private chats and units' groups. */
  chats: number;
  people: number;
  groups: number;
  /** People of the audience without an active chat. */
  unlinked: number;
  /** Messages queued (a long text is several per chat); 0 when the broadcast existed already. */
  messages: number;
}

/**
 * Records a broadcast and its recipients and queues its messages, in one transaction, with the
 * audit entry. Each person is one recipient, on the chat reach picks for them (src/domain/reach.ts). Recipients and messages are written with INSERT … SELECT, so 10,000 recipients cost
 * a handful of statements. Trusts its caller: who may send what to whom is decided by
 * `src/application/broadcasts/send.ts`.
 */
export async function createBroadcast(db: Db, clock: Clock, b: NewBroadcast): Promise<CreatedBroadcast> {
  const existing = await db.broadcast.findUnique({ where: { requestKey: b.requestKey } });
  if (existing) return summaryOf(db, existing.id, false);

  const unitIds = await audienceUnits(db, b.audience);
  const units = await db.unit.findMany({ where: { id: { in: b.audience.unitIds } }, select: { code: true }, orderBy: { code: 'asc' } });
  const doc = b.doc;
  const sender = await senderOf(db, b.authorId);
  const now = clock.now();
  const audience = { unitCodes: units.map((u) => u.code), subtree: b.audience.subtree, roles: b.audience.roles };

  let done: { id: number; messages: number };
  try {
    done = await db.$transaction(
      async (tx) => {
        const row = await tx.broadcast.create({
          data: {
            requestKey: b.requestKey,
            authorId: b.authorId,
            actor: b.actor,
            text: b.text,
            documentId: doc?.id ?? null,
            audience,
            ackRequested: b.ack,
            remindAt: b.ack && b.remindAfterHours ? now.plus({ hours: b.remindAfterHours }).toJSDate() : null,
            createdAt: now.toJSDate(),
          },
        });
        await tx.$executeRawUnsafe(
          `INSERT INTO broadcast_recipients (broadcast_id, person_id, chat_identity_id, unit_id)
           SELECT $3, a.person_id, ${reachChatSql('a.person_id')}, a.unit_id
           FROM (${AUDIENCE_PEOPLE}) a
           ORDER BY a.unit_id, a.person_id`,
          unitIds,
          b.audience.roles,
          row.id,
        );
        if (includesGroups(b.audience)) {
          await tx.$executeRawUnsafe(
            `INSERT INTO broadcast_recipients (broadcast_id, chat_identity_id, unit_id)
             SELECT $2, c.id, c.unit_id FROM chat_identities c
             WHERE c.is_group AND c.active AND c.unit_id = ANY($1::int[])
             ON CONFLICT DO NOTHING`,
            unitIds,
            row.id,
          );
        }
        const compose = (locale: 'vi' | 'en', budget: number) =>
          composeBroadcast(translate(locale), { text: b.text, doc, ack: b.ack, sender }, ackData(row.id), budget);
        const messages = await queueBroadcastParts(tx, row.id, compose);
        const counts = await countsIn(tx, row.id);
        await audit(tx, {
          actorId: b.authorId,
          actor: b.actor,
          action: 'broadcast.send',
          target: `broadcast:${row.id}`,
          details: { ...audience, ack: b.ack, remindAfterHours: b.remindAfterHours, documentId: doc?.id ?? null, ...counts, messages },
        });
        return { id: row.id, messages };
      },
      { timeout: 120_000 },
    );
  } catch (err) {
    // Two presses of "Gửi" at once: the second loses on the unique request key.
    const raced = await db.broadcast.findUnique({ where: { requestKey: b.requestKey } });
    if (raced) return summaryOf(db, raced.id, false);
    throw err;
  }
  return summaryOf(db, done.id, true, done.messages);
}

type Counts = Omit<CreatedBroadcast, 'id' | 'created' | 'messages'>;

async function countsIn(db: Db | Prisma.TransactionClient, id: number): Promise<Counts> {
  const rows = await db.$queryRawUnsafe<{ chats: bigint; people: bigint; groups: bigint; unlinked: bigint }[]>(
    `SELECT count(chat_identity_id) AS chats,
            count(DISTINCT person_id) AS people,
            count(*) FILTER (WHERE person_id IS NULL) AS groups,
            count(*) FILTER (WHERE chat_identity_id IS NULL) AS unlinked
     FROM broadcast_recipients WHERE broadcast_id = $1`,
    id,
  );
  const r = rows[0]!;
  return { chats: Number(r.chats), people: Number(r.people), groups: Number(r.groups), unlinked: Number(r.unlinked) };
}

async function summaryOf(db: Db, id: number, created: boolean, messages = 0): Promise<CreatedBroadcast> {
  return { id, created, ...(await countsIn(db, id)), messages };
}
