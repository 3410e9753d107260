import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Services } from '../core/services.js';
import type { DeliveryMetrics } from '../delivery/metrics.js';

/**
 * GET /metrics: process and outbox metrics for Prometheus. With METRICS_TOKEN set it answers 401
 * unless the request carries `Authorization: Bearer <token>`.
 */
export function serveMetrics(app: FastifyInstance, svc: Services, metrics: DeliveryMetrics): void {
  const token = svc.config.METRICS_TOKEN;
  app.get('/metrics', async (req, reply) => {
    if (token && !bearerMatches(req.headers.authorization, token)) {
      return reply.code(401).header('www-authenticate', 'Bearer').send();
    }
    const rows = await svc.db.outboxMessage.groupBy({ by: ['status'], _count: { _all: true } }).catch(() => []);
    const lines = ['# HELP capuy_outbox_messages Messages in the outbox by status', '# TYPE capuy_outbox_messages gauge'];
    for (const r of rows) lines.push(`capuy_outbox_messages{status="${r.status}"} ${r._count._all}`);
    reply.header('content-type', metrics.registry.contentType);
    return `${await metrics.registry.metrics()}\n${lines.join('\n')}\n`;
  });
}

/** /metrics alone on METRICS_HOST:METRICS_PORT, an internal address the public port does not share. */
export async function startMetricsServer(svc: Services, metrics: DeliveryMetrics): Promise<{ server: FastifyInstance; port: number }> {
  const server = Fastify({ logger: false });
  serveMetrics(server, svc, metrics);
  await server.listen({ port: svc.config.METRICS_PORT ?? 0, host: svc.config.METRICS_HOST });
  const address = server.server.address();
  return { server, port: typeof address === 'object' && address ? address.port : (svc.config.METRICS_PORT ?? 0) };
}

/** Compares digests of equal length, so the time taken says nothing about the token. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]!), digest(token));
}
