import type { OutgoingMessage } from '../core/messages.js';

/** Why a send failed, as far as delivery is concerned. */
export type FailureKind =
  /** 429: wait `retryAfterSec`, then try again. */
  | 'rate_limited'
  /** 403: the person blocked the bot or left; stop sending to this chat. */
  | 'blocked'
  /** 400 and similar: this message can never be sent. */
  | 'permanent'
  /** 5xx, timeouts, network: try again later. */
  | 'transient';

export class DeliveryError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly retryAfterSec?: number,
  ) {
    super(message);
  }
}

/** What the delivery worker needs from a channel (Telegram, Zalo…). */
export interface ChannelSender {
  /**
   * `ref` names the message for good (`outbox:<row id>`): sending it again (a retry, a takeover after
   * a crash) gives the same numbered choices on a channel without buttons.
   */
  send(chatId: string, msg: OutgoingMessage, opts?: { ref?: string }): Promise<{ messageId: string }>;
}

/** How fast a channel lets the bot send (declared in the channel's capabilities, SEND_RATE-style settings applied). */
export interface ChannelPacing {
  /** Messages per second over all chats. */
  rate: number;
  /** Gap between two messages to one private chat, and to one group (ms). */
  privateGapMs: number;
  groupGapMs: number;
}
