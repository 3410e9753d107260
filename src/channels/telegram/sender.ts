import { TelegramError, type Telegram } from 'telegraf';
import type { OutgoingMessage } from '../../core/messages.js';
import { DeliveryError, type ChannelSender } from '../../delivery/channel.js';
import { telegramExtra, telegramText } from './markup.js';

export class TelegramSender implements ChannelSender {
  constructor(
    private readonly telegram: Telegram,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(chatId: string, msg: OutgoingMessage): Promise<{ messageId: string }> {
    try {
      const sent = await this.telegram.callApi(
        'sendMessage',
        { chat_id: chatId, text: telegramText(msg), ...telegramExtra(msg) } as never,
        { signal: AbortSignal.timeout(this.timeoutMs) as never },
      );
      return { messageId: String((sent as { message_id: number }).message_id) };
    } catch (err) {
      throw classify(err);
    }
  }
}

export function classify(err: unknown): DeliveryError {
  if (err instanceof TelegramError) {
    const code = err.code;
    if (code === 429) return new DeliveryError('rate_limited', err.description, err.parameters?.retry_after ?? 5);
    if (code === 403) return new DeliveryError('blocked', err.description);
    if (code >= 500) return new DeliveryError('transient', `${code} ${err.description}`);
    return new DeliveryError('permanent', `${code} ${err.description}`);
  }
  const e = err as Error;
  return new DeliveryError('transient', e?.name === 'AbortError' || e?.name === 'TimeoutError' ? 'timeout' : (e?.message ?? String(err)));
}
