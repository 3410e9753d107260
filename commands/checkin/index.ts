import { buttonRoutes } from '../buttons.js';
import { checkinPolicy } from '../../src/application/checkin/policy.js';
import { checkinButtons } from '../../src/domain/checkin/buttons.js';
import type { Feature } from '../types.js';
import { answerButtons, answering, baocao, onResume, onText } from './answer.js';
import { mobaocao, onOpenButton, onOpenText, opening } from './open.js';
import { onSummaryButton, tonghop } from './tonghop.js';
import { registerCheckin } from '../../src/cli/commands/checkin.js';
import { checkinJob } from '../../src/scheduling/jobs/checkin.js';

const { summary, open } = checkinPolicy.rules;

/**
 * Quarterly check-ins: /baocao to answer, /tonghop for the committee, /mobaocao for admins. Who may
 * do what is decided by the use cases in `src/application/checkin/` (rules in `policy.ts`); `access`
 * here is only the first gate. /baocao is open to every linked person: whoever answers for no
 * unit is told there is nothing to answer.
 */
export const checkinFeature: Feature = {
  id: 'checkin',
  jobs: [checkinJob],
  cli: [registerCheckin],
  seed: async () => (await import('../../src/sandbox/seeds/checkin.js')).seedCheckin,
  commands: [
    { name: 'baocao', access: 'linked', policy: 'checkin.mine', menu: { ns: 'checkin' }, run: baocao },
    { name: 'tonghop', access: summary.who, policy: 'checkin.summary', menu: { ns: 'checkin' }, run: tonghop },
    { name: 'mobaocao', access: open.who, policy: 'checkin.open', menu: { ns: 'checkin' }, run: mobaocao },
  ],
  buttons: [
    buttonRoutes(
      checkinButtons,
      { access: 'linked' },
      {
        go: { policy: 'checkin.answer', run: answerButtons.go },
        c: { policy: 'checkin.answer', run: answerButtons.c },
        sum: { policy: 'checkin.answer', run: answerButtons.sum },
        a: { policy: 'checkin.answer', run: answerButtons.a },
        sk: { policy: 'checkin.answer', run: answerButtons.sk },
        k: { policy: 'checkin.answer', run: answerButtons.k },
        bk: { policy: 'checkin.answer', run: answerButtons.bk },
        ed: { policy: 'checkin.answer', run: answerButtons.ed },
        q: { policy: 'checkin.answer', run: answerButtons.q },
        send: { policy: 'checkin.answer', run: answerButtons.send },
        op: { access: open.who, policy: 'checkin.open', run: onOpenButton },
        th: { access: summary.who, policy: 'checkin.summary', run: onSummaryButton },
      },
    ),
  ],
  flows: [
    {
      name: answering.name,
      access: 'linked',
      policy: 'checkin.mine',
      what: 'checkin:flow.what',
      ownCommands: ['baocao'],
      cancelled: 'checkin:flow.cancelled',
      onText,
      resume: onResume,
    },
    { name: opening.name, access: open.who, policy: 'checkin.open', what: 'checkin:flow.open', onText: onOpenText },
  ],
};
