import type { ZaloUpdate } from '../../channels/zalo/types.js';

/** A person in tests: ids are 20 hex characters like Zalo's (`ZaloEmulator.newUser` makes one). */
export interface ZaloTestUser {
  id: string;
  display_name: string;
}

export interface ZaloTestGroup {
  id: string;
}

/** A message the bot sent, as the emulator stored it. */
export interface ZaloStoredMessage {
  message_id: string;
  chat_id: string;
  kind: 'text' | 'photo' | 'sticker';
  /** The text (or a photo's caption) exactly as sent. */
  text: string;
  photo?: string;
  sticker?: string;
  /** Milliseconds since the epoch. */
  date: number;
}

/**
 * A deliberate failure of one call:
 * - `{ code, description }`: the platform's own error, answered with HTTP 200 and `ok:false`;
 * - `{ httpStatus }`: a gateway in front of the platform failing (that status, an HTML body, no envelope);
 * - `'drop'`: the connection is cut at once, nothing answered;
 * - `'timeout'`: the request is held (`hangMs`), then the connection is cut;
 * - `{ delayMs }`: a slow answer, otherwise normal.
 * A fault replaces the call: nothing it would have done happens (a dropped getUpdates loses no update).
 */
export type ZaloFault = { code: number; description: string } | { httpStatus: number } | 'drop' | 'timeout' | { delayMs: number };

/** "N sends per window, then 429 Quota exceeded" across all chats (Zalo publishes no quota). */
export interface ZaloQuota {
  sends: number;
  windowMs: number;
}

export interface ZaloEmulatorOptions {
  /** `<bot id>:<secret>`, like Zalo's (default `1234567890:ZALO-TEST`). */
  token?: string;
  accountName?: string;
  /** getMe's `can_join_groups`; false on the basic plan, and group messages are refused in tests without it. */
  canJoinGroups?: boolean;
  quota?: ZaloQuota;
  /** How long a `'timeout'` fault holds the request (default 30 000 ms). */
  hangMs?: number;
  /** First delay between webhook delivery retries, doubled per failure up to 2 s (default 50 ms). */
  webhookRetryMs?: number;
  /** Per-attempt webhook request timeout (default 10 000 ms). */
  webhookTimeoutMs?: number;
}

export interface ZaloFailedCall {
  method: string;
  chat_id?: unknown;
  error_code: number;
  description: string;
}

export interface ZaloEmulatorStats {
  /** Successful calls by method name. */
  sent: Record<string, number>;
  /** Calls answered `ok:false` (injected or not) by method name; 408 empty polls are not counted. */
  errors: Record<string, number>;
  quotaExceeded: number;
  /** Webhook POSTs that did not answer 2xx (each one retried). */
  webhookFailures: number;
}

export interface ZaloEmulatorEvents {
  request: [request: { method: string; body: Record<string, unknown> }];
  update: [update: ZaloUpdate];
  message: [message: ZaloStoredMessage];
}
