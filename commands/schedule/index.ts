import type { CommandContext, Feature } from '../types.js';
import { ADD_FLOW, chooseUnit, discard, onAddText, save, themlich } from './add.js';
import { calendarButton } from './calendar.js';
import { EDITORS } from './common.js';
import { askCancel, cancelOrRestore, confirmEdit, EDIT_FLOW, onEditText, openItem, showItem, startEdit } from './edit.js';
import { caidat, settingButton } from './settings.js';
import { lich } from './view.js';

/** Buttons: sch:<action>:<args>; editing actions check the unit themselves. */
async function button(ctx: CommandContext, [action, ...args]: string[]): Promise<void> {
  switch (action) {
    case 'i':
      return openItem(ctx, args);
    case 'c':
      return showItem(ctx, args);
    case 'e':
      return startEdit(ctx, args);
    case 'ok':
      return confirmEdit(ctx);
    case 'x':
      return askCancel(ctx, args);
    case 'xx':
      return cancelOrRestore(ctx, args, false);
    case 'r':
      return cancelOrRestore(ctx, args, true);
    case 'u':
      return chooseUnit(ctx, args);
    case 'save':
      return save(ctx);
    case 'no':
      return discard(ctx);
    case 'set':
      return settingButton(ctx, args);
    case 'ics':
      return calendarButton(ctx, args[0]);
    default:
      return ctx.reply.notify(ctx.t('core:error.stale_button'));
  }
}

export const scheduleFeature: Feature = {
  commands: [
    { name: 'lich', access: 'linked', menu: { ns: 'schedule' }, run: lich },
    { name: 'themlich', access: EDITORS, menu: { ns: 'schedule' }, run: themlich },
    { name: 'caidat', access: 'linked', menu: { ns: 'schedule' }, run: caidat },
  ],
  buttons: [{ prefix: 'sch', access: 'linked', run: button }],
  flows: [
    { name: ADD_FLOW, access: EDITORS, onText: onAddText },
    { name: EDIT_FLOW, access: EDITORS, onText: onEditText },
  ],
};
