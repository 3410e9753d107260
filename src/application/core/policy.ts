import { definePolicy } from '../policy.js';

/** Help and the person's own settings (joining and /toi are the people feature's). */
export const corePolicy = definePolicy('core', {
  help: { who: 'anyone', scope: 'none', doc: 'anyone: the commands their roles allow' },
  language: { who: 'linked', scope: 'own', doc: 'a linked person: their own language' },
  channel: { who: 'linked', scope: 'own', doc: 'a linked person: which of their own linked channels gets the pushes' },
  cancel: { who: 'linked', scope: 'own', doc: 'a linked person: cancel their own guided step' },
  resume: { who: 'linked', scope: 'own', doc: 'a linked person: resume their own guided step set aside by another command' },
});
