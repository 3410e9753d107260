import type { Role } from '../../db/generated/enums.js';
import { definePolicy } from '../policy.js';

/** Who keeps a unit's schedule: the office, and admins. */
export const EDITORS: readonly Role[] = ['van_phong', 'admin'];

/**
 * Who may do what with the weekly schedule. The command line acts as the operator (whole
 * organisation); the jobs (digests, reminders) too.
 */
export const schedulePolicy = definePolicy('schedule', {
  view: {
    who: 'linked',
    scope: 'own',
    doc: "One's own schedule (/lich, the private calendar feed): the schedules of the units where one holds a role and of those above them, the schedules one keeps (schedule.edit), and the items one or one's units take part in.",
  },
  create: {
    who: EDITORS,
    scope: 'direct',
    doc: 'Add an item (/themlich) to the schedule of a unit where one is van_phong or admin directly.',
  },
  edit: {
    who: EDITORS,
    scope: 'subtree',
    doc: "Open an item's card and change its time, day, content, place, chair or participants: van_phong or admin at or above the item's unit; refused when the item changed since it was shown.",
  },
  cancel: {
    who: EDITORS,
    scope: 'subtree',
    doc: "Cancel an item: van_phong or admin at or above the item's unit, on the version that was shown.",
  },
  restore: {
    who: EDITORS,
    scope: 'subtree',
    doc: "Bring a cancelled item back: van_phong or admin at or above the item's unit, on the version that was shown.",
  },
  participants: {
    who: EDITORS,
    scope: 'reach',
    doc: 'Who an item may name as taking part (chair, participants): units in the subtree of the units one keeps the schedule of and the units above them, and the people holding a role there.',
  },
  discard: {
    who: 'linked',
    scope: 'own',
    doc: "Drop one's own unsaved item or pending edit.",
  },
  settings: {
    who: 'linked',
    scope: 'own',
    doc: "One's own schedule settings (/caidat): weekly digest, reminder an hour before.",
  },
  calendar: {
    who: 'linked',
    scope: 'own',
    doc: "One's own private calendar link (/lich ics): show, renew, revoke.",
  },
  import: {
    who: EDITORS,
    scope: 'subtree',
    doc: 'Import a schedule file: rows of units in one’s subtree, participants as for schedule.participants (the command line: the whole organisation).',
  },
  digest: {
    who: EDITORS,
    scope: 'subtree',
    doc: "Send a unit's weekly digest now (the command line: any unit).",
  },
});

export type ScheduleAction = keyof typeof schedulePolicy.rules;
