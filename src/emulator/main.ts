/**
 * `npm run emulator -- [--port 8081] [--limit 30] [--fail 0.05]`: the Bot API emulator on its own,
 * for trying the bot by hand without Telegram (point TELEGRAM_API_ROOT at it). Prints its address
 * and, on exit (Ctrl+C), how many messages each chat received.
 */
import { parseArgs } from 'node:util';
import { BotApiEmulator } from './botApiEmulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8081' },
    limit: { type: 'string' },
    fail: { type: 'string' },
    token: { type: 'string', default: '123456:TEST' },
  },
});
const emulator = new BotApiEmulator({
  token: values.token!,
  ...(values.limit ? { rateLimit: { global: Number(values.limit) } } : {}),
});
if (values.fail) emulator.failRandom('sendMessage', Number(values.fail), { code: 502, description: 'Bad Gateway' }, 1);
await emulator.start(Number(values.port));
console.log(`Bot API emulator: ${emulator.apiRoot} (token ${emulator.token})`);

process.on('SIGINT', () => {
  const perChat = new Map<number, number>();
  for (const m of emulator.allMessages()) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
  const counts = [...perChat.values()];
  console.log(
    JSON.stringify({
      chats: perChat.size,
      messages: counts.reduce((a, b) => a + b, 0),
      chatsWithMoreThanOne: counts.filter((n) => n > 1).length,
      rateLimited429: emulator.stats.rateLimited,
      errors: emulator.stats.errors,
    }),
  );
  void emulator.stop().then(() => process.exit(0));
});
