import type { ChannelCapabilities } from '../capabilities.js';

export type { ChannelCapabilities } from '../capabilities.js';

/**
 * Telegram Bot API: sendMessage/editMessageText refuse text over 4096 characters, answerCallbackQuery
 * over 200. About 30 messages a second over all chats, one a second to a private chat and 20 a minute
 * to a group; 25/s keeps headroom (SEND_RATE overrides it).
 */
export const telegramCapabilities = {
  maxTextLength: 4096,
  maxPopupLength: 200,
  buttons: true,
  edits: true,
  popups: true,
  contactSharing: true,
  html: true,
  pacing: { rate: 25, privateGapMs: 1000, groupGapMs: 3000 },
} as const satisfies ChannelCapabilities;
