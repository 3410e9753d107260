import { dlButtons } from '../../src/application/deadlines/index.js';
import { deadlinesPolicy, rule } from '../../src/application/deadlines/policy.js';
import { buttonRoutes } from '../buttons.js';
import type { Feature } from '../types.js';
import { CREATE_ACCESS, hanmoi, newFlow, onCancel, onConfirm, onSkipExtra, onUnitShortcut } from './hanmoi.js';
import { hanchot, onInfo, onRemindNow, tiendo } from './lists.js';
import { danop, noteFlow, onDone, onUndo } from './report.js';
import { registerDeadlines } from '../../src/cli/commands/deadlines.js';
import { deadlinesJob } from '../../src/scheduling/jobs/deadlines.js';

/** Buttons `dl:<action>:<args>`: a forged or stale one gets the "stale button" popup. */
const buttons = buttonRoutes(
  dlButtons,
  { access: 'linked' },
  {
    done: { policy: rule('done'), run: (ctx, d) => onDone(ctx, d) },
    undo: { policy: rule('undo'), run: onUndo },
    info: { policy: rule('info'), run: onInfo },
    rn: { access: deadlinesPolicy.rules.remind.who, policy: rule('remind'), run: onRemindNow },
    nu: { access: CREATE_ACCESS, policy: rule('create'), run: (ctx, d) => onUnitShortcut(ctx, d.mode) },
    nskip: { access: CREATE_ACCESS, policy: rule('create'), run: (ctx) => onSkipExtra(ctx) },
    nok: { access: CREATE_ACCESS, policy: rule('create'), run: (ctx) => onConfirm(ctx) },
    nno: { access: CREATE_ACCESS, policy: rule('create'), run: (ctx) => onCancel(ctx) },
  },
);

export const deadlinesFeature: Feature = {
  id: 'deadlines',
  jobs: [deadlinesJob],
  cli: [registerDeadlines],
  seed: async () => (await import('../../src/sandbox/seeds/deadlines.js')).seedDeadline,
  commands: [hanchot, danop, hanmoi, tiendo],
  buttons: [buttons],
  flows: [newFlow, noteFlow],
};
