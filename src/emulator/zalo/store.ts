import type { ZaloChat } from '../../channels/zalo/types.js';
import type { ZaloStoredMessage } from './types.js';

/** The chats the platform knows (someone wrote from them) and what the bot sent to each. */
export class ZaloStore {
  private readonly chats = new Map<string, ZaloChat>();
  private readonly sent = new Map<string, ZaloStoredMessage[]>();
  private all: ZaloStoredMessage[] = [];
  private readonly waiters = new Set<() => void>();

  remember(chat: ZaloChat): void {
    this.chats.set(chat.id, chat);
  }

  chat(chatId: string): ZaloChat | undefined {
    return this.chats.get(chatId);
  }

  addSent(message: ZaloStoredMessage): void {
    const list = this.sent.get(message.chat_id) ?? [];
    list.push(message);
    this.sent.set(message.chat_id, list);
    this.all.push(message);
    this.notify();
  }

  sentTo(chatId: string): readonly ZaloStoredMessage[] {
    return this.sent.get(chatId) ?? [];
  }

  allSent(): readonly ZaloStoredMessage[] {
    return this.all;
  }

  /** Forgets the messages; the chats stay known. */
  clear(): void {
    this.sent.clear();
    this.all = [];
  }

  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the first non-undefined value of `check`, re-checked on every change. */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, describeTimeout: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
      };
      const waiter = (): void => {
        try {
          const value = check();
          if (value === undefined) return;
          done();
          resolve(value);
        } catch (err) {
          done();
          reject(err as Error);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(describeTimeout()));
      }, timeoutMs);
      this.waiters.add(waiter);
      waiter();
    });
  }
}
