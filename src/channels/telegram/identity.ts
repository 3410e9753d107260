import { Telegram } from 'telegraf';

/** The bot's @username as Telegram knows it (getMe), for invite links made outside the running bot (the CLI). */
export async function telegramBotUsername(token: string, apiRoot: string): Promise<string> {
  const me = await new Telegram(token, { apiRoot }).getMe();
  return me.username;
}
