import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Personal data never reaches the log, also if a caller passes a whole update or person: message
 * texts, contacts, phone numbers and names are censored wherever they appear up to three levels down.
 */
const PERSONAL = ['text', 'contact', 'phone', 'phone_number', 'first_name', 'last_name', 'username', 'fullName', 'full_name', 'caption'];
export const REDACT_PATHS = PERSONAL.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info', destination?: { write(line: string): void }): Logger {
  const options = { level, base: undefined, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
