import type { FastifyInstance } from 'fastify';
import type { Services } from '../core/services.js';
import { page } from './render.js';

/** The dashboard's pages; each calls the features' use cases with the signed-in person as the actor. */
export async function pageRoutes(web: FastifyInstance, _svc: Services): Promise<void> {
  web.get('/', async (req, reply) => {
    return page(reply, 'overview', { actor: req.web!.actor, title: 'overview.title', nav: 'overview' });
  });
}
