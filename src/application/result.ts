/**
 * What a use case returns: a typed value, or a refusal naming one polite message (an i18n key with
 * its parameters) that the chat, the CLI and the web show in their own way.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export interface Refusal {
  /** A full i18n key, e.g. `docs:errors.not_owner`. */
  key: string;
  params?: Record<string, string | number>;
  /** True when the refusal is about permission (audited as a refused attempt). */
  forbidden?: boolean;
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function refused(key: string, params?: Record<string, string | number>): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: params ? { key, params } : { key } };
}

/** The generic "not allowed" refusal, or a feature's own key for it. */
export function forbidden(key = 'core:error.forbidden_short', params?: Record<string, string | number>): { ok: false; refusal: Refusal } {
  return { ok: false, refusal: { key, forbidden: true, ...(params ? { params } : {}) } };
}
