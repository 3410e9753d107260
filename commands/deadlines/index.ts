import type { ButtonDef, Feature } from '../types.js';
import { hanmoi, newFlow, onCancel, onConfirm, onSkipExtra, onUnitShortcut } from './hanmoi.js';
import { hanchot, onInfo, tiendo } from './lists.js';
import { danop, noteFlow, onDone, onUndo } from './report.js';

/** Buttons `dl:<action>:<args>`; each action checks who may use it. */
const buttons: ButtonDef = {
  prefix: 'dl',
  access: 'linked',
  async run(ctx, [action, ...args]) {
    switch (action) {
      case 'done':
        return onDone(ctx, args);
      case 'undo':
        return onUndo(ctx, args);
      case 'info':
        return onInfo(ctx, args);
      case 'nu':
        return onUnitShortcut(ctx, args[0] ?? '');
      case 'nskip':
        return onSkipExtra(ctx);
      case 'nok':
        return onConfirm(ctx);
      case 'nno':
        return onCancel(ctx);
      default:
        return ctx.reply.notify(ctx.t('core:error.stale_button'));
    }
  },
};

export const deadlinesFeature: Feature = {
  commands: [hanchot, danop, hanmoi, tiendo],
  buttons: [buttons],
  flows: [newFlow, noteFlow],
};
