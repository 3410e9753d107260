import { definePolicy } from '../policy.js';

/**
 * Who may manage the roster and take access away. Today only the operator (the command line) does
 * these; the rules say how far an admin's roles would reach once the web dashboard offers them: every
 * unit the target person (or the file's rows) touches must be in the admin's subtree.
 */
export const peoplePolicy = definePolicy('people', {
  import: { who: ['admin'], scope: 'subtree', doc: 'Import people (adding roles) for units within reach' },
  sync: {
    who: ['admin'],
    scope: 'subtree',
    doc: 'Sync the roster: the file is every role of the subtree; whoever is left without roles is deactivated',
  },
  remove: { who: ['admin'], scope: 'subtree', doc: 'Deactivate a person all of whose roles are within reach' },
  unlink: { who: ['admin'], scope: 'subtree', doc: 'Unlink the chats of a person all of whose roles are within reach' },
  invite: { who: ['admin'], scope: 'subtree', doc: 'Create invite links for people with a role within reach' },
  revokeInvites: { who: ['admin'], scope: 'subtree', doc: 'Revoke the unused invites of a person all of whose roles are within reach' },
  link: { who: 'anyone', scope: 'none', doc: 'Link one’s own chat with an invite link or by sharing one’s own phone number (/start)' },
  me: { who: 'linked', scope: 'own', doc: 'One’s own details, units and roles (/toi)' },
});
