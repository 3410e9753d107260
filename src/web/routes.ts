import type { HttpRoute } from '../http/server.js';
import { rememberServer } from './address.js';
import { webPlugin } from './plugin.js';

/** Mounts the dashboard under /web on the bot's own HTTP server. */
export const webRoutes: HttpRoute = async (app, svc) => {
  rememberServer(svc, app);
  await app.register((web) => webPlugin(web, svc), { prefix: '/web' });
};
