import type { Config } from '../../config.js';
import type { ChannelRegistration } from '../registry.js';
import { telegramBotUsername, telegramInviteLink } from './identity.js';

/** Telegram runs when TELEGRAM_BOT_TOKEN is set; WEBHOOK_URL + WEBHOOK_SECRET switch it to webhook mode. */
export const telegramRegistration: ChannelRegistration = {
  name: 'telegram',
  tokenVariable: 'TELEGRAM_BOT_TOKEN',
  enabled: (config) => !!config.TELEGRAM_BOT_TOKEN,
  // telegraf and the adapter load only when the bot starts the channel (not for the CLI).
  create: async (config, deps) =>
    new (await import('./bot.js')).TelegramChannel(
      {
        token: config.TELEGRAM_BOT_TOKEN!,
        apiRoot: config.TELEGRAM_API_ROOT,
        sendTimeoutMs: config.SEND_TIMEOUT_MS,
        sendRate: config.SEND_RATE,
        ...(config.WEBHOOK_URL ? { webhook: { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET! } } : {}),
      },
      deps.router,
      deps.svc,
      deps.inbox,
    ),
  async inviteLinks(config: Config) {
    const username =
      config.BOT_USERNAME ??
      (config.TELEGRAM_BOT_TOKEN ? await telegramBotUsername(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT) : undefined);
    return username ? (token: string) => telegramInviteLink(username, token) : null;
  },
};
