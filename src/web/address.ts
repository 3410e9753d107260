import type { FastifyInstance } from 'fastify';
import type { Services } from '../core/services.js';

/** The HTTP server each running bot listens on (several bots share a process in tests). */
const servers = new WeakMap<Services, FastifyInstance>();

export function rememberServer(svc: Services, app: FastifyInstance): void {
  servers.set(svc, app);
}

/**
 * Where people open the dashboard: PUBLIC_URL when it is set; otherwise the server's own address,
 * `http://localhost:<port>`, which works on the machine the bot runs on (a test, the sandbox, an
 * office PC running it) and is what the operator sees they must change for phones.
 */
export function webBaseUrl(svc: Services): string {
  if (svc.config.PUBLIC_URL) return svc.config.PUBLIC_URL.replace(/\/+$/, '');
  const address = servers.get(svc)?.server.address();
  const port = typeof address === 'object' && address ? address.port : svc.config.PORT;
  return `http://localhost:${port}`;
}

/** Cookies are `Secure` when people reach the bot over https. */
export function isHttps(svc: Services): boolean {
  return svc.config.PUBLIC_URL?.startsWith('https:') ?? false;
}
