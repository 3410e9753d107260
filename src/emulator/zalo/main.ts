/**
 * `npm run emulator:zalo -- [--port 8082] [--quota 100/60] [--fail 0.05]`: the Zalo Bot API emulator on
 * its own, for trying the bot by hand without Zalo (point ZALO_API_ROOT at it). `--quota N/S` allows N
 * sends per S seconds, then answers 429 "Quota exceeded". Prints its address and, on exit (Ctrl+C), how
 * many messages each chat received.
 */
import { parseArgs } from 'node:util';
import { ZaloEmulator } from './zaloEmulator.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8082' },
    quota: { type: 'string' },
    fail: { type: 'string' },
    token: { type: 'string', default: '1234567890:ZALO-TEST' },
  },
});
const quota = values.quota ? /^(\d+)\/(\d+)$/.exec(values.quota) : null;
if (values.quota && !quota) throw new Error('--quota takes N/S: N sends per S seconds, e.g. 100/60');
const emulator = new ZaloEmulator({
  token: values.token!,
  ...(quota ? { quota: { sends: Number(quota[1]), windowMs: Number(quota[2]) * 1000 } } : {}),
});
if (values.fail) emulator.failRandom('sendMessage', Number(values.fail), { code: 500, description: 'Internal server error' }, 1);
await emulator.start(Number(values.port));
console.log(`Zalo Bot API emulator: ${emulator.apiRoot} (token ${emulator.token})`);

process.on('SIGINT', () => {
  const perChat = new Map<string, number>();
  for (const m of emulator.allMessages()) perChat.set(m.chat_id, (perChat.get(m.chat_id) ?? 0) + 1);
  console.log(
    JSON.stringify({
      chats: perChat.size,
      messages: [...perChat.values()].reduce((a, b) => a + b, 0),
      quotaExceeded429: emulator.stats.quotaExceeded,
      errors: emulator.stats.errors,
    }),
  );
  void emulator.stop().then(() => process.exit(0));
});
