/**
 * Calling the Zalo Bot API. There is no maintained npm SDK for the Zalo Bot Platform (see
 * docs/platform-notes.md), so this calls the HTTP API with Node's own `fetch`.
 *
 * The platform answers errors with HTTP 200 and `{ok:false, error_code, description}`: success is
 * read from `ok`, never from the HTTP status alone. The token is part of every URL, so no error
 * message here ever includes the URL.
 */
import { DeliveryError } from '../../delivery/channel.js';
import type { ZaloEnvelope } from './types.js';

export const ZALO_API_ROOT = 'https://bot-api.zaloplatforms.com';

export interface ZaloApiConfig {
  /** ZALO_BOT_TOKEN, `<bot id>:<secret>`. */
  token: string;
  /** ZALO_API_ROOT; the project's emulator in tests. Default Zalo's own. */
  apiRoot?: string;
  /** Per-call timeout unless the call sets its own (default 10 000 ms). */
  timeoutMs?: number;
}

export interface ZaloCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Calls one method (POST, JSON body) and returns its `result`; throws ZaloApiError or ZaloTransportError. */
export type CallZalo = <T = unknown>(method: string, params?: Record<string, unknown>, opts?: ZaloCallOptions) => Promise<T>;

/** The platform answered `ok:false`. */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly code: number,
    readonly description: string,
  ) {
    super(`${method}: ${code} ${description}`);
    this.name = 'ZaloApiError';
  }
}

/** No answer from the platform: network error, timeout, or something in between answering without the envelope. */
export class ZaloTransportError extends Error {
  constructor(
    readonly method: string,
    readonly reason: string,
    /** The HTTP status of an answer without the envelope (e.g. a gateway's 502). */
    readonly status?: number,
  ) {
    super(`${method}: ${reason}`);
    this.name = 'ZaloTransportError';
  }
}

export function zaloCaller(config: ZaloApiConfig): CallZalo {
  const root = (config.apiRoot ?? ZALO_API_ROOT).replace(/\/+$/, '');
  const defaultTimeoutMs = config.timeoutMs ?? 10_000;
  return async <T>(method: string, params: Record<string, unknown> = {}, opts: ZaloCallOptions = {}): Promise<T> => {
    const timeout = AbortSignal.timeout(opts.timeoutMs ?? defaultTimeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    let status: number;
    let raw: string;
    try {
      const res = await fetch(`${root}/bot${config.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal,
      });
      status = res.status;
      raw = await res.text();
    } catch (err) {
      throw new ZaloTransportError(method, transportReason(err, timeout));
    }
    const envelope = parseEnvelope(raw);
    if (!envelope) throw new ZaloTransportError(method, `HTTP ${status} without a Zalo answer`, status);
    if (!envelope.ok) throw new ZaloApiError(method, envelope.error_code, envelope.description);
    return envelope.result as T;
  };
}

function parseEnvelope(raw: string): ZaloEnvelope | undefined {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null || typeof (body as { ok?: unknown }).ok !== 'boolean') return undefined;
  const b = body as { ok: boolean; result?: unknown; error_code?: unknown; description?: unknown };
  if (b.ok) return { ok: true, result: b.result };
  return {
    ok: false,
    error_code: typeof b.error_code === 'number' ? b.error_code : Number(b.error_code) || 0,
    description: typeof b.description === 'string' ? b.description : '',
  };
}

/** Without the URL (it holds the token): "timeout", "aborted", or the network error's code. */
function transportReason(err: unknown, timeout: AbortSignal): string {
  if (timeout.aborted) return 'timeout';
  const e = err as Error & { cause?: { code?: string } };
  if (e?.name === 'AbortError') return 'aborted';
  return e?.cause?.code ?? e?.name ?? 'network error';
}

/** 429 "Quota exceeded" comes without retry_after and Zalo publishes no quota: wait this long (seconds). */
export const ZALO_QUOTA_RETRY_AFTER_SEC = 60;

/**
 * A failed Zalo call as the outbox sees it (`FailureKind`):
 * - 429 "Quota exceeded": rate_limited, retrying after a conservative `quotaRetryAfterSec`.
 * - 401: the token is wrong or was reset. That is the operator's to fix, not the message's nor the
 *   person's, so it is transient: the outbox keeps the message and retries with backoff, and it goes
 *   out once the token is fixed (the poller's health() reports the 401 meanwhile).
 * - 403 is documented as "Internal server error": transient, unless its description says the person
 *   blocked the bot, which is blocked (the chat is deactivated). How Zalo reports a block is not
 *   published; the emulator's wording is matched (src/emulator/zalo/zaloEmulator.ts, BLOCKED_DESCRIPTION).
 * - 400 (bad request, text too long) and 404 (unknown chat): permanent, this message can never go.
 * - 408, other 5xx and anything else: transient, as are timeouts, network errors and gateway pages.
 */
export function classifyZaloError(err: unknown, quotaRetryAfterSec = ZALO_QUOTA_RETRY_AFTER_SEC): DeliveryError {
  if (err instanceof ZaloApiError) {
    const what = `${err.code} ${err.description}`.trim();
    if (err.code === 429) return new DeliveryError('rate_limited', what, quotaRetryAfterSec);
    if (err.code === 403 && BLOCKED_PATTERN.test(err.description)) return new DeliveryError('blocked', what);
    if (err.code === 400 || err.code === 404) return new DeliveryError('permanent', what);
    if (err.code === 401) return new DeliveryError('transient', `${what}: check ZALO_BOT_TOKEN`);
    return new DeliveryError('transient', what);
  }
  if (err instanceof ZaloTransportError) return new DeliveryError('transient', err.reason);
  return new DeliveryError('transient', err instanceof Error ? err.message : String(err));
}

const BLOCKED_PATTERN = /block|chặn/i;
