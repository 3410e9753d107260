/**
 * Telegram's wire types, for the few places outside the adapter that see raw Bot API objects
 * (the webhook route, the sandbox transcript). Everything else is channel-neutral (src/core/messages.ts).
 */
export type { MessageEntity as TelegramMessageEntity, Update as TelegramUpdate } from 'telegraf/types';
