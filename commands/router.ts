import { auditActor, personActor } from '../src/application/actor.js';
import { mayTry, mayTryRule } from '../src/application/policy.js';
import { ruleOf } from '../src/application/policies.js';
import type { IncomingMessage, Reply } from '../src/core/messages.js';
import type { Services } from '../src/core/services.js';
import { databaseUnavailable } from '../src/db/availability.js';
import { loadPerson, type PersonView } from '../src/domain/people.js';
import { noteChatUsed } from '../src/domain/reach.js';
import { asLocale, t as translate } from '../src/i18n.js';
import { flowButtons } from './core/flowButtons.js';
import type { Access, ButtonDef, CommandContext, CommandDef, Feature, FlowDef, LinkedContext } from './types.js';

export function allowed(access: Access, person: PersonView | null): boolean {
  return mayTry(access, person);
}

/** /help offers a command by its policy rule (the README's table), falling back to its first gate. */
function mayUse(c: CommandDef, person: PersonView | null): boolean {
  const rule = c.policy ? ruleOf(c.policy) : undefined;
  return rule ? mayTryRule(rule, person) && allowed(c.access, person) : allowed(c.access, person);
}

function isLinked(ctx: CommandContext): ctx is LinkedContext {
  return ctx.person !== null && ctx.actor !== null;
}

function register<T>(map: Map<string, T>, kind: string, key: string, def: T): void {
  // Two definitions under one name would silently shadow each other; refuse to start instead.
  if (map.has(key)) throw new Error(`duplicate ${kind} "${key}"`);
  map.set(key, def);
}

/** Parses "/lich@capuy_bot tuansau" into ["lich", "tuansau"]. */
export function parseCommand(text: string): { name: string; args: string } | null {
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  return m ? { name: m[1]!.toLowerCase(), args: (m[2] ?? '').trim() } : null;
}

/**
 * What a log line may say about an update: its kind, channel, command name or button prefix and
 * action. Never the text, the arguments, names or a shared phone number (personal data, invite
 * tokens and check-in answers live there).
 */
export function describeUpdate(msg: IncomingMessage): { channel: string; updateId?: string; kind: string; group: boolean; what?: string } {
  const base = { channel: msg.channel, ...(msg.updateId ? { updateId: msg.updateId } : {}), kind: msg.kind, group: msg.chat.isGroup };
  if (msg.kind === 'button') return { ...base, what: (msg.data ?? '').split(':').slice(0, 2).join(':') };
  const cmd = msg.kind === 'text' ? parseCommand(msg.text ?? '') : null;
  return cmd ? { ...base, what: `/${cmd.name}` } : base;
}

export class Router {
  readonly commands = new Map<string, CommandDef>();
  private readonly buttons = new Map<string, ButtonDef>();
  private readonly flows = new Map<string, FlowDef>();
  private contactHandler?: (ctx: CommandContext) => Promise<void>;
  private looseTextHandler?: (ctx: CommandContext, text: string) => Promise<boolean>;

  constructor(features: Feature[]) {
    for (const f of features) {
      for (const c of f.commands ?? []) register(this.commands, 'command', c.name, c);
      for (const b of f.buttons ?? []) register(this.buttons, 'button prefix', b.prefix, b);
      for (const fl of f.flows ?? []) register(this.flows, 'flow', fl.name, fl);
    }
  }

  onContact(fn: (ctx: CommandContext) => Promise<void>): this {
    this.contactHandler = fn;
    return this;
  }

  /**
   * A private text that is no command and no answer to an open flow goes here first (a join code);
   * the handler returns false when the text is not for it.
   */
  onLooseText(fn: (ctx: CommandContext, text: string) => Promise<boolean>): this {
    this.looseTextHandler = fn;
    return this;
  }

  /** Every button prefix and flow, for the authorisation matrix and the docs. */
  get buttonDefs(): ButtonDef[] {
    return [...this.buttons.values()];
  }

  get flowDefs(): FlowDef[] {
    return [...this.flows.values()];
  }

  /** Commands a person may use, in registration order (for /help and the command menu). */
  menuFor(person: PersonView | null): CommandDef[] {
    return [...this.commands.values()].filter((c) => c.menu && mayUse(c, person));
  }

  async handle(svc: Services, msg: IncomingMessage, reply: Reply): Promise<void> {
    svc.log.debug({ update: describeUpdate(msg) }, 'update received');
    const ctx = await this.context(svc, msg, reply);
    try {
      await this.dispatch(ctx);
    } catch (err) {
      // The database went away mid-way: the update is not answered "internal error" but handed back
      // (the inbox tries it again once the database answers).
      if (await databaseUnavailable(svc.db, err)) throw err;
      svc.log.error({ err, update: describeUpdate(msg) }, 'handler failed');
      await reply.send({ text: ctx.t('core:error.internal') }).catch(() => undefined);
    }
  }

  private async dispatch(ctx: CommandContext): Promise<void> {
    const { msg } = ctx;
    if (msg.kind === 'contact') {
      if (msg.chat.isGroup || !this.contactHandler) return;
      return this.contactHandler(ctx);
    }
    if (msg.kind === 'button') {
      const [prefix, ...args] = (msg.data ?? '').split(':');
      const def = this.buttons.get(prefix ?? '');
      if (!def) return ctx.reply.notify(ctx.t('core:error.stale_button'));
      if (msg.chat.isGroup && !def.inGroups) return ctx.reply.notify();
      if (!allowed(def.access, ctx.person) || !isLinked(ctx)) {
        await this.audit(ctx, `button:${def.prefix}`);
        await ctx.reply.notify(ctx.t(ctx.person ? 'core:error.forbidden_short' : 'core:not_linked_short'));
        return;
      }
      return def.run(ctx, args);
    }
    if (msg.kind === 'unsupported') {
      // Not passed to an open flow: an empty "answer" would be taken for a real one.
      if (msg.chat.isGroup) return;
      return void (await ctx.reply.send({ text: ctx.t(ctx.person ? 'core:error.unsupported' : 'core:not_linked') }));
    }
    const text = (msg.text ?? '').trim();
    const cmd = parseCommand(text);
    if (cmd) {
      const def = this.commands.get(cmd.name);
      if (msg.chat.isGroup && !def?.inGroups) return; // groups only hear what is meant for them
      if (!def) return void (await ctx.reply.send({ text: ctx.t(ctx.person ? 'core:error.unknown_command' : 'core:not_linked') }));
      if (def.access === 'anyone') {
        await this.setFlowAside(ctx, def);
        return def.run(ctx, cmd.args);
      }
      if (!allowed(def.access, ctx.person) || !isLinked(ctx)) {
        await this.audit(ctx, `command:${def.name}`);
        return void (await this.refuse(ctx));
      }
      await this.setFlowAside(ctx, def);
      return def.run(ctx, cmd.args);
    }
    if (msg.chat.isGroup) return;
    const flow = ctx.activeFlow ?? undefined;
    if (flow && allowed(flow.access, ctx.person) && isLinked(ctx)) {
      // A text typed after another command is not taken as the flow's answer ("0" is not question 6).
      if (ctx.flow?.suspended) return this.suspendedNotice(ctx, flow);
      return flow.onText(ctx, text);
    }
    if (ctx.flow) {
      // The person's roles changed (or the flow is gone from this version): drop the stale draft.
      await ctx.clearFlow();
      if (flow) {
        await this.audit(ctx, `flow:${flow.name}`);
        return void (await this.refuse(ctx));
      }
    }
    if (this.looseTextHandler && (await this.looseTextHandler(ctx, text))) return;
    await ctx.reply.send({ text: ctx.t(ctx.person ? 'core:error.not_understood' : 'core:not_linked') });
  }

  /**
   * Another command runs: the flow in progress is suspended (kept, but typed text no longer answers
   * it) or, for a short optional step, dropped. A command that starts a flow of its own saves it
   * active again; re-running the flow's own command resumes it the same way.
   */
  private async setFlowAside(ctx: CommandContext, def: CommandDef): Promise<void> {
    if (!ctx.flow || ctx.flow.suspended || def.keepsFlow || ctx.msg.chat.isGroup) return;
    if (ctx.activeFlow?.ownCommands?.includes(def.name)) return;
    if (ctx.activeFlow?.onCommand === 'drop') return ctx.clearFlow();
    await ctx.svc.db.chatState.updateMany({
      where: { chatIdentityId: ctx.chat.id },
      data: { suspendedAt: ctx.svc.clock.now().toJSDate() },
    });
    ctx.flow = { ...ctx.flow, suspended: true };
  }

  private async suspendedNotice(ctx: CommandContext, flow: FlowDef): Promise<void> {
    const what = ctx.t(flow.what ?? 'core:flow.what');
    await ctx.reply.send({
      text: ctx.t('core:flow.suspended', { what }),
      buttons: [[{ text: ctx.t('core:flow.resume_button', { what }), data: flowButtons.pack('go', {}) }]],
    });
  }

  /**
   * A linked person refused at the first gate is audited (what they tried, not what they typed);
   * strangers are not, so writing to the bot cannot fill the audit log.
   */
  private async audit(ctx: CommandContext, what: string): Promise<void> {
    if (!ctx.actor) return;
    await ctx.svc.db.auditLog.create({ data: { ...auditActor(ctx.actor), action: `denied:${what}` } });
  }

  private async refuse(ctx: CommandContext): Promise<void> {
    await ctx.reply.send({ text: ctx.t(ctx.person ? 'core:error.forbidden' : 'core:not_linked') });
  }

  private async context(svc: Services, msg: IncomingMessage, reply: Reply): Promise<CommandContext> {
    const { db } = svc;
    const key = { channel_chatId: { channel: msg.channel, chatId: msg.chat.id } };
    let chat = await db.chatIdentity.findUnique({ where: key });
    if (!chat) {
      // ON CONFLICT DO NOTHING: several people writing in a new group at once must not collide
      // (an upsert is a read and then a write, and the second writer failed on the unique key).
      await db.chatIdentity.createMany({
        data: [{ channel: msg.channel, chatId: msg.chat.id, isGroup: msg.chat.isGroup }],
        skipDuplicates: true,
      });
      chat = await db.chatIdentity.findUniqueOrThrow({ where: key });
    }
    // A person who writes to us again has unblocked the bot.
    if (!chat.active && !msg.chat.isGroup) {
      chat = await db.chatIdentity.update({ where: { id: chat.id }, data: { active: true, blockReason: null } });
    }
    // The person is whoever the sender's private chat is linked to (also when writing in a group).
    const own = msg.chat.isGroup
      ? await db.chatIdentity.findUnique({ where: { channel_chatId: { channel: msg.channel, chatId: msg.sender.id } } })
      : chat;
    const person = own?.personId ? await loadPerson(db, own.personId) : null;
    // Pushes go to the chat the person last used (src/domain/reach.ts); written only when it changes,
    // which the person's row just read already tells (no query per message otherwise).
    if (person && own && !own.isGroup && person.lastChatId !== own.id) await noteChatUsed(db, person.id, own.id);
    const locale = asLocale(person?.locale ?? (msg.sender.languageCode === 'en' ? 'en' : 'vi'));
    const state = await db.chatState.findUnique({ where: { chatIdentityId: chat.id } });
    const ctx: CommandContext = {
      msg,
      reply,
      svc,
      chat,
      person,
      actor: person ? personActor(person, `${msg.channel}:${msg.sender.id}`) : null,
      locale,
      t: translate(locale),
      flow: state ? { name: state.flow, data: state.data as Record<string, unknown>, suspended: state.suspendedAt !== null } : null,
      activeFlow: (state && this.flows.get(state.flow)) ?? null,
      setFlow: async (name, data) => {
        await db.chatState.upsert({
          where: { chatIdentityId: chat.id },
          create: { chatIdentityId: chat.id, flow: name, data: data as object },
          update: { flow: name, data: data as object, suspendedAt: null },
        });
        ctx.flow = { name, data, suspended: false };
        ctx.activeFlow = this.flows.get(name) ?? null;
      },
      async clearFlow() {
        await db.chatState.deleteMany({ where: { chatIdentityId: chat.id } });
        ctx.flow = null;
        ctx.activeFlow = null;
      },
    };
    return ctx;
  }
}
