import type { OutgoingMessage } from '../../core/messages.js';
import type { Prisma } from '../../db/generated/client.js';
import { partsForChannel, seriesBudget } from '../../delivery/parts.js';
import { MESSAGE_BUDGET } from './split.js';

/** The dedupe key of what a chat got: the broadcast's last part (with the button), or its follow-up. */
export function messageKey(broadcastId: number, chatIdentityId: number, reminder = false): string {
  return `bc:${broadcastId}:${reminder ? 'remind:' : ''}c:${chatIdentityId}`;
}

/**
 * Queues a broadcast's message parts to all of its recipient chats, server-side: one INSERT … SELECT
 * per part, locale and channel instead of `enqueue`'s row-by-row parameters, which is what keeps
 * 10,000 recipients under two seconds. Same outbox semantics: one dedupe key per message, duplicates
 * skipped; each channel's chats get the series cut for its size (`seriesBudget`; `partsForChannel` stays as a safety net).
 * Part n of every chat is inserted before part n+1, so each chat gets them in order.
 * Returns how many messages were queued.
 */
export async function queueBroadcastParts(
  tx: Prisma.TransactionClient,
  broadcastId: number,
  /** The parts in a locale, each within `budget` as written (see composeBroadcast). */
  compose: (locale: 'vi' | 'en', budget: number) => OutgoingMessage[],
): Promise<number> {
  const channels = await tx.$queryRawUnsafe<{ channel: string }[]>(
    `SELECT DISTINCT c.channel FROM broadcast_recipients r JOIN chat_identities c ON c.id = r.chat_identity_id
     WHERE r.broadcast_id = $1 ORDER BY c.channel`,
    broadcastId,
  );
  let queued = 0;
  for (const { channel } of channels) {
    // Cut for this channel's size (Zalo's 2000), so the parts are numbered once, as one series.
    const fitted = (locale: 'vi' | 'en') => {
      const buttons = compose(locale, MESSAGE_BUDGET).at(-1)?.buttons;
      return compose(locale, seriesBudget(channel, MESSAGE_BUDGET, buttons)).flatMap((p) => partsForChannel(channel, p));
    };
    queued += await queueChannelParts(tx, broadcastId, channel, { vi: fitted('vi'), en: fitted('en') });
  }
  return queued;
}

async function queueChannelParts(
  tx: Prisma.TransactionClient,
  broadcastId: number,
  channel: string,
  partsByLocale: Record<'vi' | 'en', OutgoingMessage[]>,
): Promise<number> {
  let queued = 0;
  const most = Math.max(partsByLocale.vi.length, partsByLocale.en.length);
  for (let i = 0; i < most; i++) {
    for (const locale of ['vi', 'en'] as const) {
      const parts = partsByLocale[locale];
      if (i >= parts.length) continue;
      // The last part carries the plain key `bc:<id>:c:<chat>` that statistics join on.
      const suffix = i === parts.length - 1 ? '' : `:p${i + 1}`;
      queued += await tx.$executeRawUnsafe(
        `INSERT INTO outbox (chat_identity_id, dedupe_key, payload)
         SELECT r.chat_identity_id, 'bc:' || r.broadcast_id || ':c:' || r.chat_identity_id || $2, $3::jsonb
         FROM broadcast_recipients r
         JOIN chat_identities c ON c.id = r.chat_identity_id AND c.channel = $5
         LEFT JOIN people p ON p.id = r.person_id
         WHERE r.broadcast_id = $1
           AND (CASE WHEN p.locale = 'en' THEN 'en' ELSE 'vi' END) = $4
         ORDER BY r.id
         ON CONFLICT (dedupe_key) DO NOTHING`,
        broadcastId,
        suffix,
        JSON.stringify(parts[i]),
        locale,
        channel,
      );
    }
  }
  return queued;
}

/**
 * Queues the follow-up to every chat of a person who has not acknowledged, where the broadcast
 * itself was delivered (someone it never reached is not reminded of "the notice above").
 */
export async function queueReminders(
  tx: Prisma.TransactionClient,
  broadcastId: number,
  payloadByLocale: Record<'vi' | 'en', OutgoingMessage>,
): Promise<number> {
  let queued = 0;
  for (const locale of ['vi', 'en'] as const) {
    queued += await tx.$executeRawUnsafe(
      `INSERT INTO outbox (chat_identity_id, dedupe_key, payload)
       SELECT r.chat_identity_id, 'bc:' || r.broadcast_id || ':remind:c:' || r.chat_identity_id, $2::jsonb
       FROM broadcast_recipients r
       JOIN people p ON p.id = r.person_id
       JOIN outbox o ON o.dedupe_key = 'bc:' || r.broadcast_id || ':c:' || r.chat_identity_id AND o.status = 'sent'
       WHERE r.broadcast_id = $1 AND r.chat_identity_id IS NOT NULL
         AND (CASE WHEN p.locale = 'en' THEN 'en' ELSE 'vi' END) = $3
         AND NOT EXISTS (SELECT 1 FROM broadcast_recipients a
                         WHERE a.broadcast_id = r.broadcast_id AND a.person_id = r.person_id AND a.acked_at IS NOT NULL)
       ORDER BY r.id
       ON CONFLICT (dedupe_key) DO NOTHING`,
      broadcastId,
      JSON.stringify(payloadByLocale[locale]),
      locale,
    );
  }
  return queued;
}
