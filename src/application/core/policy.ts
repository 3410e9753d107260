import { definePolicy } from '../policy.js';

/** Joining and the person's own settings. */
export const corePolicy = definePolicy('core', {
  start: { who: 'anyone', scope: 'none', doc: 'anyone: join with an invite or by sharing their own phone number' },
  help: { who: 'anyone', scope: 'none', doc: 'anyone: the commands their roles allow' },
  me: { who: 'linked', scope: 'own', doc: 'a linked person: who they are, their units and roles' },
  language: { who: 'linked', scope: 'own', doc: 'a linked person: their own language' },
  cancel: { who: 'linked', scope: 'own', doc: 'a linked person: cancel their own guided step' },
});
