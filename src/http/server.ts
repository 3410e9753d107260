import Fastify, { type FastifyInstance } from 'fastify';
import type { ChannelHealth, ChannelWebhook } from '../channels/registry.js';
import type { Services } from '../core/services.js';
import type { DeliveryMetrics } from '../delivery/metrics.js';
import { serveMetrics } from './metrics.js';

/** A feature's HTTP route(s); it gets the same services as handlers and jobs. */
export type HttpRoute = (app: FastifyInstance, svc: Services) => void | Promise<void>;

export interface HttpDeps {
  svc: Services;
  metrics: DeliveryMetrics;
  /** The webhooks of channels in webhook mode, each on its own path with its own secret header. */
  webhooks?: ChannelWebhook[];
  /** Features add their own routes (calendar feed, sandbox). */
  routes?: HttpRoute[];
  /** Channels say whether updates are coming in; a deaf channel makes /healthz fail. */
  channels?: { name: string; health(): ChannelHealth }[];
}

export async function createHttpServer(deps: HttpDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 1_048_576 });
  const { svc } = deps;

  app.get('/healthz', async (_req, reply) => {
    try {
      const [row] = await svc.db.$queryRawUnsafe<{ pending: bigint; oldest: Date | null }[]>(
        `SELECT count(*) AS pending, min(created_at) AS oldest FROM outbox WHERE status IN ('pending', 'sending')`,
      );
      const channels = Object.fromEntries((deps.channels ?? []).map((c) => [c.name, c.health()]));
      const deaf = Object.entries(channels).filter(([, h]) => !h.ok);
      if (deaf.length) {
        const reasons = Object.fromEntries(deaf.map(([name, h]) => [name, `not receiving: ${h.reason ?? 'unknown'}`]));
        return reply.code(503).send({ status: 'error', database: 'ok', ...reasons });
      }
      return {
        status: 'ok',
        database: 'ok',
        outbox: {
          backlog: Number(row?.pending ?? 0),
          oldestPendingSeconds: row?.oldest ? Math.round((Date.now() - new Date(row.oldest).getTime()) / 1000) : 0,
        },
      };
    } catch (err) {
      svc.log.warn({ err }, 'health check failed');
      return reply.code(503).send({ status: 'error', database: 'unreachable' });
    }
  });

  // With METRICS_PORT, /metrics lives on its own internal listener (startMetricsServer) instead.
  if (svc.config.METRICS_PORT === undefined) serveMetrics(app, svc, deps.metrics);

  for (const hook of deps.webhooks ?? []) {
    app.post(hook.path, async (req, reply) => {
      const secret = req.headers[hook.secretHeader];
      if (!hook.verify(typeof secret === 'string' ? secret : undefined)) return reply.code(401).send();
      try {
        await hook.handle(req.body);
      } catch (err) {
        // Not stored (the database is away): not acknowledged, so the platform posts it again.
        svc.log.warn({ err: { kind: err instanceof Error ? err.name : typeof err } }, 'webhook update not stored; answering 503');
        return reply.code(503).send();
      }
      return reply.code(200).send();
    });
  }

  for (const r of deps.routes ?? []) await r(app, svc);
  return app;
}
