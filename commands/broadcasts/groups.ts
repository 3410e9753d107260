import { groupLink, linkGroupToUnit } from '../../src/application/broadcasts/groups.js';
import { GROUP_LINK_ROLES } from '../../src/domain/broadcasts/groups.js';
import type { LinkedContext } from '../types.js';
import { showRefusal } from './common.js';

export { GROUP_LINK_ROLES };

/** /ganhom <mã đơn vị> in a group links it to the unit; /ganhom huy unlinks it. */
export async function ganhom(ctx: LinkedContext, args: string): Promise<void> {
  const { t } = ctx;
  if (!ctx.chat.isGroup) return void (await ctx.reply.send({ text: t('broadcasts:ganhom.only_group') }));
  const code = args.trim().split(/\s+/)[0] ?? '';
  if (!code) {
    const current = await groupLink(ctx.svc, ctx.chat.id);
    const status = current ? t('broadcasts:ganhom.current', { name: current.name, code: current.code }) : t('broadcasts:ganhom.none');
    return void (await ctx.reply.send({ text: `${status}\n\n${t('broadcasts:ganhom.usage')}` }));
  }
  const unlink = ['huy', 'hủy', 'bo', 'bỏ'].includes(code.toLowerCase());
  const res = await linkGroupToUnit(ctx.svc, ctx.actor, { chatIdentityId: ctx.chat.id, code: unlink ? null : code });
  if (!res.ok) return showRefusal(ctx, res.refusal);
  const { unit, previous } = res.value;
  if (!unit) return void (await ctx.reply.send({ text: t('broadcasts:ganhom.unlinked', { name: previous?.name ?? '' }) }));
  const moved = previous && previous.code !== unit.code ? `\n${t('broadcasts:ganhom.moved', { name: previous.name })}` : '';
  await ctx.reply.send({ text: t('broadcasts:ganhom.linked', { name: unit.name, code: unit.code }) + moved });
}
