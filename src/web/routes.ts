import type { HttpRoute } from '../http/server.js';
import { rememberServer } from './address.js';

/** Mounts the dashboard under /web on the bot's own HTTP server. */
export const webRoutes: HttpRoute = async (app, svc) => {
  rememberServer(svc, app);
  // The dashboard's fastify plugins, views and exports load with the server, not with the CLI.
  const { webPlugin } = await import('./plugin.js');
  await app.register((web) => webPlugin(web, svc), { prefix: '/web' });
};
