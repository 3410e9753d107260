import { DOC_ROLES } from '../../src/application/docs/index.js';
import { buttonRoutes } from '../buttons.js';
import type { Feature } from '../types.js';
import { docButtons } from './buttons.js';
import { chooseCategory, confirmNewDoc, newDocFlow, onNewDocText, startNewDoc } from './create.js';
import { luu, showSaved, toggleSaved } from './saved.js';
import { showDocument, showSearch } from './search.js';
import { registerDocs } from '../../src/cli/commands/docs.js';

export const docsFeature: Feature = {
  id: 'docs',
  cli: [registerDocs],
  seed: async () => (await import('../../src/sandbox/seeds/docs.js')).seedDocs,
  commands: [
    { name: 'tailieu', access: 'linked', policy: 'docs.search', menu: { ns: 'docs' }, run: (ctx, args) => showSearch(ctx, args, 0, false) },
    { name: 'luu', access: 'linked', policy: 'docs.save', menu: { ns: 'docs' }, run: luu },
    { name: 'tailieumoi', access: DOC_ROLES, policy: 'docs.add', menu: { ns: 'docs' }, run: startNewDoc },
  ],
  buttons: [
    buttonRoutes(
      docButtons,
      { access: 'linked' },
      {
        p: {
          policy: 'docs.search',
          run: async (ctx, { page, query }) => {
            await ctx.reply.notify();
            await showSearch(ctx, query, page, true);
          },
        },
        v: { policy: 'docs.view', run: (ctx, { id }) => showDocument(ctx, id) },
        s: { policy: 'docs.save', run: (ctx, { id }) => toggleSaved(ctx, id, true) },
        u: { policy: 'docs.save', run: (ctx, { id }) => toggleSaved(ctx, id, false) },
        sp: {
          policy: 'docs.save',
          run: async (ctx, { page }) => {
            await ctx.reply.notify();
            await showSaved(ctx, page, true);
          },
        },
        // The rest belongs to /tailieumoi: only for those who may add documents.
        c: { access: DOC_ROLES, policy: 'docs.add', run: (ctx, { category }) => chooseCategory(ctx, category) },
        ok: { access: DOC_ROLES, policy: 'docs.add', run: (ctx) => confirmNewDoc(ctx, true) },
        no: { access: DOC_ROLES, policy: 'docs.add', run: (ctx) => confirmNewDoc(ctx, false) },
      },
    ),
  ],
  flows: [{ name: newDocFlow.name, access: DOC_ROLES, policy: 'docs.add', what: 'docs:flow.what', onText: onNewDocText }],
};
