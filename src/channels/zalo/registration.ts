import type { ChannelRegistration } from '../registry.js';

/**
 * Zalo runs when ZALO_BOT_TOKEN is set (beside Telegram, or alone); ZALO_WEBHOOK_URL +
 * ZALO_WEBHOOK_SECRET switch it to webhook mode. It has no invite links: people type the join code.
 */
export const zaloRegistration: ChannelRegistration = {
  name: 'zalo',
  tokenVariable: 'ZALO_BOT_TOKEN',
  enabled: (config) => !!config.ZALO_BOT_TOKEN,
  // The adapter loads only when the bot starts the channel (not for the CLI).
  create: async (config, deps) =>
    new (await import('./channel.js')).ZaloChannel(
      {
        token: config.ZALO_BOT_TOKEN!,
        apiRoot: config.ZALO_API_ROOT,
        sendTimeoutMs: config.SEND_TIMEOUT_MS,
        sendRate: config.ZALO_SEND_RATE,
        ...(config.ZALO_WEBHOOK_URL ? { webhook: { url: config.ZALO_WEBHOOK_URL, secret: config.ZALO_WEBHOOK_SECRET! } } : {}),
      },
      deps.router,
      deps.svc,
      deps.inbox,
    ),
  inviteLinks: async () => null,
  joinsByCode: true,
};
