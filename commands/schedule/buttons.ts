import { defineButtons, field } from '../../src/core/buttonCodec.js';
import { EDIT_FIELDS } from '../../src/application/schedule/items.js';

/**
 * The schedule's buttons, in the wire format they always had (old buttons in people's chats keep
 * working): sch:i:<id> opens an item, sch:c:<id> shows it again in place, sch:e:<id>:<field> edits a
 * field, sch:ok confirms the edit, sch:x:<id> asks before cancelling, sch:xx:<id>:<version> cancels,
 * sch:r:<id>:<version> restores, sch:u:<unit> picks the unit of a new item, sch:save saves it,
 * sch:no drops the draft or the edit, sch:set:<digest|hour>:<1|0> sets a preference,
 * sch:ics:<new|off> renews or revokes the calendar link.
 */
export const sch = defineButtons('sch', {
  i: { id: field.id },
  c: { id: field.id },
  e: { id: field.id, field: field.oneOf(...EDIT_FIELDS) },
  ok: {},
  x: { id: field.id },
  xx: { id: field.id, version: field.id },
  r: { id: field.id, version: field.id },
  u: { unit: field.id },
  save: {},
  no: {},
  set: { what: field.oneOf('digest', 'hour'), on: field.flag },
  ics: { op: field.oneOf('new', 'off') },
});
