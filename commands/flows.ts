import type { z } from 'zod';
import type { CommandContext } from './types.js';

/**
 * A guided flow's draft, typed and validated when read back: a deploy that changes a draft's shape
 * finds an old saved draft invalid (and starts over) instead of misreading it.
 */
export interface FlowStore<T> {
  name: string;
  /** The draft, when this flow is the chat's active one and its data still fits the schema. */
  get(ctx: CommandContext): T | null;
  save(ctx: CommandContext, data: T): Promise<void>;
  clear(ctx: CommandContext): Promise<void>;
  /** Takes the draft out of the chat state; of two presses at once only one gets it. */
  take(ctx: CommandContext): Promise<T | null>;
}

export function defineFlow<S extends z.ZodType<Record<string, unknown>>>(name: string, schema: S): FlowStore<z.infer<S>> {
  type T = z.infer<S>;
  const get = (ctx: CommandContext): T | null => {
    if (ctx.flow?.name !== name) return null;
    const parsed = schema.safeParse(ctx.flow.data);
    return parsed.success ? parsed.data : null;
  };
  return {
    name,
    get,
    save: (ctx, data) => ctx.setFlow(name, schema.parse(data) as Record<string, unknown>),
    clear: async (ctx) => {
      if (ctx.flow?.name === name) await ctx.clearFlow();
    },
    async take(ctx) {
      const data = get(ctx);
      if (!data) return null;
      const del = await ctx.svc.db.chatState.deleteMany({ where: { chatIdentityId: ctx.chat.id, flow: name } });
      ctx.flow = null;
      ctx.activeFlow = null;
      return del.count === 1 ? data : null;
    },
  };
}
