import { EDITORS } from '../../src/application/schedule/policy.js';
import { buttonRoutes } from '../buttons.js';
import type { Feature } from '../types.js';
import { addFlow, chooseUnit, discard, onAddText, save, themlich } from './add.js';
import { sch } from './buttons.js';
import { calendarButton } from './calendar.js';
import { askCancel, cancel, confirmEdit, editFlow, onEditText, openItem, restore, showItem, startEdit } from './edit.js';
import { caidat, settingButton } from './settings.js';
import { lich } from './view.js';
import { registerSchedule } from '../../src/cli/commands/schedule.js';
import { scheduleFeedRoute } from '../../src/http/scheduleFeed.js';
import { scheduleJob } from '../../src/scheduling/jobs/schedule.js';

/**
 * The first gate of every button is a linked person: who may edit which item is decided by the
 * use cases (src/application/schedule), so a forged press is refused there, and audited.
 */
const buttons = buttonRoutes(
  sch,
  { access: 'linked' },
  {
    i: { policy: 'schedule.edit', run: openItem },
    c: { policy: 'schedule.edit', run: showItem },
    e: { policy: 'schedule.edit', run: startEdit },
    ok: { access: EDITORS, policy: 'schedule.edit', run: confirmEdit },
    x: { policy: 'schedule.cancel', run: askCancel },
    xx: { policy: 'schedule.cancel', run: cancel },
    r: { policy: 'schedule.restore', run: restore },
    u: { policy: 'schedule.create', run: chooseUnit },
    save: { access: EDITORS, policy: 'schedule.create', run: save },
    no: { policy: 'schedule.discard', run: discard },
    set: { policy: 'schedule.settings', run: settingButton },
    ics: { policy: 'schedule.calendar', run: calendarButton },
  },
);

export const scheduleFeature: Feature = {
  id: 'schedule',
  jobs: [scheduleJob],
  routes: [scheduleFeedRoute],
  cli: [registerSchedule],
  seed: async () => (await import('../../src/sandbox/seeds/schedule.js')).seedSchedule,
  commands: [
    { name: 'lich', access: 'linked', policy: 'schedule.view', menu: { ns: 'schedule' }, run: lich },
    { name: 'themlich', access: EDITORS, policy: 'schedule.create', menu: { ns: 'schedule' }, run: themlich },
    { name: 'caidat', access: 'linked', policy: 'schedule.settings', menu: { ns: 'schedule' }, run: caidat },
  ],
  buttons: [buttons],
  flows: [
    { name: addFlow.name, access: EDITORS, policy: 'schedule.create', what: 'schedule:flow.add', onText: onAddText },
    { name: editFlow.name, access: EDITORS, policy: 'schedule.edit', what: 'schedule:flow.edit', onText: onEditText },
  ],
};
