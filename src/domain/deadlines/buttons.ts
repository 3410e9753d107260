import { defineButtons, field } from '../../core/buttonCodec.js';

/**
 * The `dl:` buttons. The wire format is the one older messages in people's chats carry:
 * `dl:done:<deadline>:<unit>`, `dl:undo:<deadline>:<unit>`, `dl:info:<deadline>[:<unit>]`, and the
 * steps of /hanmoi: `dl:nu:cb|direct`, `dl:nskip`, `dl:nok`, `dl:nno`. It lives in the domain
 * because the notices built here (`render.ts`) carry these buttons.
 */
export const dlButtons = defineButtons('dl', {
  done: { deadlineId: field.id, unitId: field.id },
  undo: { deadlineId: field.id, unitId: field.id },
  info: { deadlineId: field.id, unitId: field.optional(field.id) },
  /** «Nhắc lại ngay» under /tiendo <id>: remind the late units now (`dl:rn:<deadline>`). */
  rn: { deadlineId: field.id },
  /** /hanmoi step 3: every chi bộ in scope, or the units right below the creator's own. */
  nu: { mode: field.oneOf('cb', 'direct') },
  nskip: {},
  nok: {},
  nno: {},
});
