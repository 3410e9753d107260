import type { OutgoingMessage } from '../../core/messages.js';
import type { ChannelSender } from '../../delivery/channel.js';
import { classifyZaloError, type CallZalo, ZALO_QUOTA_RETRY_AFTER_SEC } from './api.js';
import { zaloText } from './text.js';
import type { ZaloSentMessage } from './types.js';

export interface ZaloSenderOptions {
  /** Per-send timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** How long the outbox waits after 429 "Quota exceeded", which has no retry_after (default 60 s). */
  quotaRetryAfterSec?: number;
}

/**
 * The outbox's sender for Zalo: plain text through sendMessage, failures as DeliveryError kinds
 * (see classifyZaloError). Zalo has no buttons, so `buttons`, `requestContact` and `removeKeyboard`
 * are not sent: the presenter turns buttons into numbered lines of `text` before a message gets here.
 */
export class ZaloSender implements ChannelSender {
  constructor(
    private readonly call: CallZalo,
    private readonly opts: ZaloSenderOptions = {},
  ) {}

  async send(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const sent = await this.call<ZaloSentMessage>(
        'sendMessage',
        { chat_id: chatId, text: zaloText(msg) },
        { timeoutMs: this.opts.timeoutMs ?? 10_000 },
      );
      return { messageId: String(sent?.message_id ?? '') };
    } catch (err) {
      throw classifyZaloError(err, this.opts.quotaRetryAfterSec ?? ZALO_QUOTA_RETRY_AFTER_SEC);
    }
  }
}
