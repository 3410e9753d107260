import type { Role } from '../../db/generated/enums.js';
import { definePolicy } from '../policy.js';

/** Who keeps the library: the propaganda department and administrators. */
export const DOC_ROLES = ['tuyen_giao', 'admin'] as const satisfies readonly Role[];

/**
 * The document library (/tailieu, /luu, /tailieumoi, `docs …` on the command line). A document is
 * meant for everyone (no units) or for some units with everything below them; a person sees it
 * when one of those units is in their `reach` (the units where they hold any role, below and above).
 */
export const docsPolicy = definePolicy('docs', {
  search: {
    who: 'linked',
    scope: 'reach',
    doc: 'Search and list the library (/tailieu, doc:p): any linked person; only documents for everyone or for a unit of theirs, above or below it.',
  },
  view: {
    who: 'linked',
    scope: 'reach',
    doc: 'Open a document (doc:v): any linked person, documents visible to them (as search); other ids are refused and audited.',
  },
  save: {
    who: 'linked',
    scope: 'reach',
    doc: 'Save, unsave and list saved documents (/luu, doc:s, doc:u, doc:sp): own list, and only documents still visible to them.',
  },
  add: {
    who: DOC_ROLES,
    scope: 'subtree',
    doc: 'Add a document (/tailieumoi, doc:c, doc:ok, doc:no, flow doc.new; `docs add|import` as operator): tuyen_giao/admin, audience within the units where they hold the role and below (default: those units).',
  },
  update: {
    who: DOC_ROLES,
    scope: 'subtree',
    doc: 'Update the document with the same number (or title): its creator, or tuyen_giao/admin at or above every unit of it (a document for everyone: at the root units); a changed audience stays within their scope; the operator always. Others are refused and audited.',
  },
});
