/**
 * The Zalo Bot Platform's wire format (https://bot-api.zaloplatforms.com/bot<TOKEN>/<method>), as far as
 * the published docs and other implementers agree; see the Zalo section of docs/platform-notes.md. The
 * project's emulator (src/emulator/zalo/) speaks exactly these types.
 */

/** Every answer, success or not, comes with HTTP 200: read `ok`, never the status alone. */
export type ZaloEnvelope<T = unknown> =
  { ok: true; result?: T; description?: string } | { ok: false; error_code: number; description: string };

export type ZaloEventName =
  | 'message.text.received'
  | 'message.image.received'
  | 'message.sticker.received'
  | 'message.voice.received'
  /** Links, and everything from "protected" users, arrive so, without content. */
  | 'message.unsupported.received';

export interface ZaloUser {
  /** 20 hex characters, e.g. "6ede9afa66b88fe6d6a9". */
  id: string;
  display_name?: string;
  is_bot?: boolean;
}

export interface ZaloChat {
  /** 20 hex characters; a private chat has its person's id. */
  id: string;
  /** Anything but PRIVATE is treated as a group (groups hear only what is meant for them). */
  chat_type: 'PRIVATE' | 'GROUP' | (string & {});
}

export interface ZaloMessage {
  from: ZaloUser;
  chat: ZaloChat;
  /** 20 hex characters; the only key to deduplicate on (updates carry no update_id). */
  message_id: string;
  /** Milliseconds since the epoch. */
  date: number;
  text?: string;
  photo_url?: string;
  caption?: string;
  sticker?: string;
  url?: string;
}

/** What getUpdates answers (one per call, not an array) and what a webhook receives. */
export interface ZaloUpdate {
  event_name: ZaloEventName | (string & {});
  message: ZaloMessage;
}

/** getMe. */
export interface ZaloBotInfo {
  id: string;
  account_name: string;
  account_type: string;
  can_join_groups: boolean;
}

/** sendMessage, sendPhoto, sendSticker. */
export interface ZaloSentMessage {
  message_id: string;
  date: number;
}

/** setWebhook, deleteWebhook (url ''), getWebhookInfo. */
export interface ZaloWebhookInfo {
  url: string;
  updated_at: number;
}

/** The header a webhook request carries, holding setWebhook's `secret_token`. */
export const ZALO_SECRET_HEADER = 'x-bot-api-secret-token';

/** sendMessage's `text` (and sendPhoto's `caption`): 1 to 2000 characters. */
export const ZALO_MAX_TEXT_LENGTH = 2000;
