import type { StoredMessage } from '../../src/emulator/botApiEmulator.js';
import { Chat } from '../helpers/chat.js';
import type { Harness } from '../helpers/harness.js';
import { P, type Who } from './org.js';

export { buttonsOf, dataOf, type Button } from '../helpers/chat.js';

/** Talking to the bot as the fixture people, by key: the shared `Chat` driver of each person. */
export function chat(h: () => Harness) {
  const of = (who: Who) => Chat.of(h, P[who]);
  return {
    /** Sends a text and returns the bot's next `n` messages (the last one by default). */
    async say(who: Who, text: string, n = 1): Promise<StoredMessage> {
      return (await of(who).sayMany(text, n)).at(-1)!;
    },
    /** Sends a text and returns all messages the bot sends until it has sent `n` of them. */
    async sayMany(who: Who, text: string, n: number): Promise<StoredMessage[]> {
      return of(who).sayMany(text, n);
    },
    /** Presses a button; waits for the popup and then for `next` new messages or an edit of the message. */
    async press(
      who: Who,
      msg: StoredMessage,
      data: string,
      expect: 'none' | 'edit' | number = 'none',
    ): Promise<{ popup: string | undefined; messages: StoredMessage[] }> {
      const c = of(who);
      const before = c.messages().length;
      const { answer } = await c.press(data, { on: msg, reply: false, edit: expect === 'edit' });
      const messages = typeof expect === 'number' ? await c.nextMany(before, expect) : [];
      return { popup: answer.text, messages };
    },
  };
}
