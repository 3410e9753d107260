import type { Config } from '../config.js';

/**
 * Without a channel token `npm start` opens the demo sandbox. With production settings present the
 * missing token is a mistake, not a wish for the demo: the one line that says so, or null.
 */
export function sandboxRefusal(config: Pick<Config, 'DATABASE_URL'>, env: NodeJS.ProcessEnv = process.env): string | null {
  const reasons = [
    ...(env.NODE_ENV === 'production' ? ['NODE_ENV=production'] : []),
    ...(config.DATABASE_URL ? ['DATABASE_URL is set'] : []),
  ];
  if (reasons.length === 0) return null;
  return (
    `TELEGRAM_BOT_TOKEN is not set (nor ZALO_BOT_TOKEN), but ${reasons.join(' and ')}: refusing to start the demo sandbox. ` +
    'Put the bot token in the environment or .env.'
  );
}
