import { holdsAny } from '../../src/domain/people.js';
import { BROADCAST_ROLES } from '../../src/domain/broadcasts/scope.js';
import type { CommandContext, Feature } from '../types.js';
import { chooseCategory, confirmNewDoc, NEW_DOC_FLOW, onNewDocText, startNewDoc } from './create.js';
import { luu, showSaved, toggleSaved } from './saved.js';
import { showDocument, showSearch } from './search.js';

/** doc:p:<page>:<query> · doc:v:<id> · doc:s|u:<id> · doc:sp:<page> · doc:c:<category> · doc:ok|no */
async function onButton(ctx: CommandContext, [action, arg, ...rest]: string[]): Promise<void> {
  const n = Number(arg);
  if (arg !== undefined && action !== 'ok' && action !== 'no' && !Number.isSafeInteger(n)) return ctx.reply.notify(ctx.t('core:error.stale_button'));
  switch (action) {
    case 'p':
      await ctx.reply.notify();
      return showSearch(ctx, rest.join(':'), Math.max(0, n || 0), true);
    case 'sp':
      await ctx.reply.notify();
      return showSaved(ctx, Math.max(0, n || 0), true);
    case 'v':
      return showDocument(ctx, n);
    case 's':
    case 'u':
      return toggleSaved(ctx, n, action === 's');
  }
  // The rest belongs to /tailieumoi: only for those who may add documents.
  if (!holdsAny(ctx.person!, BROADCAST_ROLES)) return ctx.reply.notify(ctx.t('core:error.forbidden_short'));
  if (action === 'c') return chooseCategory(ctx, n);
  if (action === 'ok' || action === 'no') return confirmNewDoc(ctx, action === 'ok');
  await ctx.reply.notify(ctx.t('core:error.stale_button'));
}

export const docsFeature: Feature = {
  commands: [
    { name: 'tailieu', access: 'linked', menu: { ns: 'docs' }, run: (ctx, args) => showSearch(ctx, args, 0, false) },
    { name: 'luu', access: 'linked', menu: { ns: 'docs' }, run: luu },
    { name: 'tailieumoi', access: BROADCAST_ROLES, menu: { ns: 'docs' }, run: startNewDoc },
  ],
  buttons: [{ prefix: 'doc', access: 'linked', run: onButton }],
  flows: [{ name: NEW_DOC_FLOW, access: BROADCAST_ROLES, onText: onNewDocText }],
};
