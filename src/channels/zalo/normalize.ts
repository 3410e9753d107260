import { z } from 'zod';
import type { IncomingMessage } from '../../core/messages.js';
import type { ZaloUpdate } from './types.js';

const idSchema = z.string().min(1).max(64);

/** A Zalo update as polled or POSTed; unknown fields are dropped, a malformed one is refused. */
const updateSchema = z.object({
  event_name: z.string().min(1),
  message: z.object({
    from: z.object({ id: idSchema, display_name: z.string().optional(), is_bot: z.boolean().optional() }),
    chat: z.object({ id: idSchema, chat_type: z.string() }),
    message_id: idSchema,
    date: z.number(),
    text: z.string().optional(),
    photo_url: z.string().optional(),
    caption: z.string().optional(),
    sticker: z.string().optional(),
    url: z.string().optional(),
  }),
});

/** `raw` as a ZaloUpdate, or null when it is not one. */
export function parseZaloUpdate(raw: unknown): ZaloUpdate | null {
  const parsed = updateSchema.safeParse(raw);
  return parsed.success ? (parsed.data as ZaloUpdate) : null;
}

/**
 * Zalo update → channel-neutral message; null for what the bot ignores (its own messages).
 *
 * Only `message.text.received` carries words. Images, stickers, voice and `message.unsupported.received`
 * (links, and everything from "protected" people, which come without content) become kind
 * `unsupported`: the router answers it politely (the "how to join" explanation for a stranger) and
 * never hands it to an open flow as an answer. Zalo sends no language code; the person's stored
 * locale applies.
 */
export function normalizeZaloUpdate(update: ZaloUpdate): IncomingMessage | null {
  const m = update.message;
  if (m.from.is_bot) return null;
  const base = {
    channel: 'zalo' as const,
    updateId: m.message_id,
    chat: { id: m.chat.id, isGroup: m.chat.chat_type !== 'PRIVATE' },
    sender: { id: m.from.id, name: m.from.display_name ?? '' },
  };
  if (update.event_name !== 'message.text.received') return { ...base, kind: 'unsupported' };
  return { ...base, kind: 'text', text: m.text ?? '' };
}
