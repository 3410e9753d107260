import type { Chat, Message } from 'telegraf/types';
import type { StoredMessage } from './types.js';

interface ChatState {
  chat: Chat;
  /** Message ids are shared by both directions of a chat, as in Telegram. */
  lastMessageId: number;
  sent: StoredMessage[];
  byId: Map<number, StoredMessage>;
  incoming: Map<number, Message>;
}

const SUPERGROUP_ID_LIMIT = -1_000_000_000_000;

export function defaultChat(id: number): Chat {
  if (id > 0) return { id, type: 'private', first_name: `User ${id}` };
  const type = id <= SUPERGROUP_ID_LIMIT ? 'supergroup' : 'group';
  return { id, type, title: `Group ${id}` } as Chat;
}

/** Messages indexed by chat so per-chat lookups never scan the whole history. */
export class ChatStore {
  private readonly chats = new Map<number, ChatState>();
  private all: StoredMessage[] = [];
  private readonly waiters = new Set<() => void>();

  chat(chatId: number): Chat {
    return this.state(chatId).chat;
  }

  remember(chat: Chat): void {
    this.state(chat.id).chat = chat;
  }

  nextMessageId(chatId: number): number {
    return ++this.state(chatId).lastMessageId;
  }

  addSent(message: StoredMessage): void {
    const state = this.state(message.chat_id);
    state.sent.push(message);
    state.byId.set(message.message_id, message);
    this.all.push(message);
    this.notify();
  }

  addIncoming(message: Message): void {
    this.state(message.chat.id).incoming.set(message.message_id, message);
  }

  sentMessage(chatId: number, messageId: number): StoredMessage | undefined {
    return this.chats.get(chatId)?.byId.get(messageId);
  }

  incomingMessage(chatId: number, messageId: number): Message | undefined {
    return this.chats.get(chatId)?.incoming.get(messageId);
  }

  deleteIncoming(chatId: number, messageId: number): boolean {
    return this.chats.get(chatId)?.incoming.delete(messageId) ?? false;
  }

  /** Live list of the bot's messages to a chat; callers must copy before handing it out. */
  sentTo(chatId: number): readonly StoredMessage[] {
    return this.chats.get(chatId)?.sent ?? [];
  }

  allSent(): readonly StoredMessage[] {
    return this.all;
  }

  /** Forgets messages but keeps per-chat message id counters so ids never repeat. */
  clear(): void {
    for (const state of this.chats.values()) {
      state.sent = [];
      state.byId.clear();
      state.incoming.clear();
    }
    this.all = [];
  }

  /** Re-evaluates pending `waitUntil` conditions; call after any observable change. */
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

  private state(chatId: number): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      state = { chat: defaultChat(chatId), lastMessageId: 0, sent: [], byId: new Map(), incoming: new Map() };
      this.chats.set(chatId, state);
    }
    return state;
  }
}
