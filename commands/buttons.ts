import type { ButtonCodec, DataOf, Fields } from '../src/core/buttonCodec.js';
import { deny, mayTry } from '../src/application/policy.js';
import type { Access, ButtonDef, CommandContext, LinkedContext } from './types.js';

type Handler<F extends Fields> = (ctx: LinkedContext, data: DataOf<F>) => Promise<void>;

/** Per action: a handler, or a handler with a narrower first gate than the prefix's. */
export type ButtonHandlers<A extends Record<string, Fields>> = {
  [K in keyof A & string]: Handler<A[K]> | { access?: Access; policy?: string; run: Handler<A[K]> };
};

/**
 * A ButtonDef from a codec and a table of handlers: replaces the hand-written switch. A press that
 * does not unpack (stale, forged, or a bad number) gets the "stale button" popup and does nothing.
 */
export function buttonRoutes<A extends Record<string, Fields>>(
  codec: ButtonCodec<A>,
  opts: { access: Exclude<Access, 'anyone'>; inGroups?: boolean },
  handlers: ButtonHandlers<A>,
): ButtonDef {
  return {
    prefix: codec.prefix,
    access: opts.access,
    ...(opts.inGroups ? { inGroups: true } : {}),
    actions: codec.actions.map((action) => {
      const h = handlers[action];
      if (typeof h === 'function') return { action, access: opts.access };
      return { action, access: h.access ?? opts.access, ...(h.policy ? { policy: h.policy } : {}) };
    }),
    async run(ctx: CommandContext, args: string[]) {
      const pressed = codec.unpack(args);
      if (!pressed) return ctx.reply.notify(ctx.t('core:error.stale_button'));
      const h = handlers[pressed.action as keyof A & string];
      const access = typeof h === 'function' ? opts.access : (h.access ?? opts.access);
      if (access !== 'linked' && !mayTry(access, ctx.person)) {
        if (ctx.actor) await deny(ctx.svc.db, ctx.actor, `button:${codec.prefix}:${pressed.action}`);
        return ctx.reply.notify(ctx.t('core:error.forbidden_short'));
      }
      const run = (typeof h === 'function' ? h : h.run) as Handler<Fields>;
      await run(ctx as LinkedContext, pressed.data as DataOf<Fields>);
    },
  };
}
