import type { CallbackAnswer, StoredMessage, TestUser } from '../../src/emulator/botApiEmulator.js';
import type { Harness } from '../helpers/harness.js';

/** Callback data of the inline buttons of a message. */
export function buttonsOf(m: StoredMessage | undefined): string[] {
  const kb = (m?.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined)?.inline_keyboard ?? [];
  return kb.flat().map((b) => b.callback_data ?? '');
}

/**
 * One person's private chat with the bot. `harness` is a function so a test can restart the bot
 * (a new harness on the same emulator) and keep talking.
 */
export class Chat {
  constructor(
    private readonly harness: () => Harness,
    readonly user: TestUser,
  ) {}

  private get emu() {
    return this.harness().emulator;
  }

  messages(): StoredMessage[] {
    return this.emu.messagesTo(this.user.id);
  }

  last(): StoredMessage {
    return this.messages().at(-1)!;
  }

  /** Waits for the next message after the first `after` ones, optionally one whose text contains `match`. */
  async next(after: number, match?: string): Promise<StoredMessage> {
    return this.emu.waitUntil(
      () =>
        this.messages()
          .slice(after)
          .find((m) => !match || m.plainText.includes(match)),
      8000,
      `a message to ${this.user.id}${match ? ` containing ${JSON.stringify(match)}` : ''}`,
    );
  }

  /** Sends a text and returns the bot's answer. */
  async say(text: string, match?: string): Promise<StoredMessage> {
    const n = this.messages().length;
    this.emu.sendText(this.user, text);
    return this.next(n, match);
  }

  /** The data of the newest button whose data starts with `prefix`. */
  button(prefix: string): string {
    for (const m of [...this.messages()].reverse()) {
      const d = buttonsOf(m).find((x) => x.startsWith(prefix));
      if (d) return d;
    }
    throw new Error(`no button ${prefix}… in chat ${this.user.id}; last: ${this.last()?.plainText}`);
  }

  /**
   * Presses a button (the newest message carrying it, or with `force` the given message even if it
   * no longer has it) and returns the popup answer and, unless `reply: false`, the next message.
   */
  async press(
    data: string,
    opts: { force?: StoredMessage; reply?: boolean; match?: string } = {},
  ): Promise<{ answer: CallbackAnswer; message: StoredMessage }> {
    const target = opts.force ?? [...this.messages()].reverse().find((m) => buttonsOf(m).includes(data));
    if (!target) throw new Error(`no message with button ${data} in chat ${this.user.id}`);
    const n = this.messages().length;
    const id = this.emu.pressButton(this.user, target, data, { force: !!opts.force });
    const answer = await this.emu.waitForCallbackAnswer(id, 8000);
    const message = opts.reply === false ? target : await this.next(n, opts.match);
    return { answer, message };
  }
}
