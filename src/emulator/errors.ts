/** An error answered to the client as `{ ok: false, error_code, description, parameters? }`. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
    this.name = 'ApiError';
  }
}

export const badRequest = (detail: string): ApiError => new ApiError(400, `Bad Request: ${detail}`);

export const tooManyRequests = (retryAfter: number): ApiError =>
  new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });

export const UNAUTHORIZED = (): ApiError => new ApiError(401, 'Unauthorized');
export const METHOD_NOT_FOUND = (): ApiError => new ApiError(404, 'Not Found: method not found');
export const NOT_FOUND = (): ApiError => new ApiError(404, 'Not Found');

export const WEBHOOK_CONFLICT = (): ApiError =>
  new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
export const POLLING_CONFLICT = (): ApiError =>
  new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running');

export function blockedError(chatId: number): ApiError {
  if (chatId > 0) return new ApiError(403, 'Forbidden: bot was blocked by the user');
  const kind = chatId <= -1_000_000_000_000 ? 'supergroup' : 'group';
  return new ApiError(403, `Forbidden: bot was kicked from the ${kind} chat`);
}
