// Loads telegraf only when asked: the CLI reads this module without talking to Telegram.

/** The deep link that opens the chat with the bot and redeems an invite token. */
export function telegramInviteLink(username: string, token: string): string {
  return `https://t.me/${username}?start=${token}`;
}

/** The bot's @username as Telegram knows it (getMe), for invite links made outside the running bot (the CLI). */
export async function telegramBotUsername(token: string, apiRoot: string): Promise<string> {
  const { Telegram } = await import('telegraf');
  const me = await new Telegram(token, { apiRoot }).getMe();
  return me.username;
}
