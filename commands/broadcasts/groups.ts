import { escapeHtml } from '../../src/core/html.js';
import type { Role } from '../../src/db/generated/enums.js';
import { linkGroup } from '../../src/domain/broadcasts/groups.js';
import { hasRoleFor } from '../../src/domain/org/tree.js';
import type { CommandContext } from '../types.js';

/** Who may link a unit's group: its secretaries (or those of a unit above it), and admins. */
export const GROUP_LINK_ROLES = ['bi_thu', 'pho_bi_thu', 'admin'] as const satisfies readonly Role[];

/** /ganhom <mã đơn vị> in a group links it to the unit; /ganhom huy unlinks it. */
export async function ganhom(ctx: CommandContext, args: string): Promise<void> {
  const { svc, t } = ctx;
  if (!ctx.chat.isGroup) return void (await ctx.reply.send({ text: t('broadcasts:ganhom.only_group') }));
  const current = ctx.chat.unitId ? await svc.db.unit.findUnique({ where: { id: ctx.chat.unitId } }) : null;
  const code = args.trim().split(/\s+/)[0] ?? '';
  if (!code) {
    const status = current
      ? t('broadcasts:ganhom.current', { name: escapeHtml(current.name), code: escapeHtml(current.code) })
      : t('broadcasts:ganhom.none');
    return void (await ctx.reply.send({ text: `${status}\n\n${t('broadcasts:ganhom.usage')}` }));
  }
  const actor = { actorId: ctx.person!.id, actor: `${ctx.msg.channel}:${ctx.msg.sender.id}`, chatIdentityId: ctx.chat.id };
  if (['huy', 'hủy', 'bo', 'bỏ'].includes(code.toLowerCase())) {
    if (!current) return void (await ctx.reply.send({ text: t('broadcasts:ganhom.none') }));
    if (!(await hasRoleFor(svc.db, ctx.person!.id, current.id, GROUP_LINK_ROLES))) {
      return void (await ctx.reply.send({ text: t('broadcasts:ganhom.not_secretary', { code: escapeHtml(current.code) }) }));
    }
    await linkGroup(svc.db, { ...actor, unit: null });
    return void (await ctx.reply.send({ text: t('broadcasts:ganhom.unlinked', { name: escapeHtml(current.name) }) }));
  }
  const unit = await svc.db.unit.findUnique({ where: { code } });
  if (!unit) return void (await ctx.reply.send({ text: t('broadcasts:ganhom.unknown_unit', { code: escapeHtml(code) }) }));
  if (!(await hasRoleFor(svc.db, ctx.person!.id, unit.id, GROUP_LINK_ROLES))) {
    return void (await ctx.reply.send({ text: t('broadcasts:ganhom.not_secretary', { code: escapeHtml(unit.code) }) }));
  }
  const res = await linkGroup(svc.db, { ...actor, unit: { id: unit.id, code: unit.code } });
  const moved = res.previous && res.previous.code !== unit.code ? `\n${t('broadcasts:ganhom.moved', { name: escapeHtml(res.previous.name) })}` : '';
  await ctx.reply.send({ text: t('broadcasts:ganhom.linked', { name: escapeHtml(unit.name), code: escapeHtml(unit.code) }) + moved });
}
