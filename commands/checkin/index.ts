import type { Feature } from '../types.js';
import { baocao, FLOW, onButton, onText } from './answer.js';
import { mobaocao, onOpenButton, onOpenText, OPEN_FLOW } from './open.js';
import { onSummaryButton, SUMMARY_ROLES, tonghop } from './tonghop.js';

/** Quarterly check-ins: /baocao to answer, /tonghop for the committee, /mobaocao for admins. */
export const checkinFeature: Feature = {
  commands: [
    { name: 'baocao', access: 'linked', menu: { ns: 'checkin' }, run: baocao },
    { name: 'tonghop', access: SUMMARY_ROLES, menu: { ns: 'checkin' }, run: tonghop },
    { name: 'mobaocao', access: ['admin'], menu: { ns: 'checkin' }, run: mobaocao },
  ],
  buttons: [
    {
      prefix: 'ci',
      access: 'linked',
      async run(ctx, args) {
        if (args[0] === 'op') return onOpenButton(ctx, args.slice(1));
        if (args[0] === 'th') return onSummaryButton(ctx, Number(args[1]));
        return onButton(ctx, args);
      },
    },
  ],
  flows: [
    { name: FLOW, access: 'linked', onText },
    { name: OPEN_FLOW, access: ['admin'], onText: onOpenText },
  ],
};
