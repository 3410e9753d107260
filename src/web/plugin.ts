import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyHelmet from '@fastify/helmet';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkSignIn, sessionActor, signIn, signOut, type WebSession } from '../application/web/index.js';
import type { Services } from '../core/services.js';
import { SESSION_IDLE_DAYS } from '../domain/web/sessions.js';
import { isHttps } from './address.js';
import { eta, page, PUBLIC_DIR, VIEWS_DIR } from './render.js';
import { pageRoutes } from './pages.js';
import { checkinRoutes } from './checkinPages.js';
import { broadcastRoutes } from './broadcastPages.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in person of a /web request (set before every page that is not public). */
    web: WebSession | null;
  }
  interface FastifyContextConfig {
    /** Served without a session (the sign-in pages). */
    public?: boolean;
  }
}

export const SESSION_COOKIE = 'capuy_web';
const BASE = '/web';
/** Sign-in attempts (opening or confirming a link) per address and minute. */
export const SIGNIN_PER_MINUTE = 20;
/** Largest uploaded file (a week's schedule or a roster of a few thousand rows). */
export const UPLOAD_MAX = 5 * 1024 * 1024;

/** The dashboard under /web: plugins, sign-in and sign-out, then the pages (`pages.ts`). */
export async function webPlugin(web: FastifyInstance, svc: Services): Promise<void> {
  const https = isHttps(svc);
  await web.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    // The sign-in link carries its token: no page ever tells another site where it came from.
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: https ? { maxAge: 15_552_000 } : false,
  });
  await web.register(fastifyCookie);
  await web.register(fastifyFormbody, { bodyLimit: 65_536 });
  // Uploads (schedule files, rosters): fields and the file land in the body, so the CSRF check reads `_csrf` as for forms.
  await web.register(fastifyMultipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: UPLOAD_MAX, files: 1, fields: 10, fieldSize: UPLOAD_MAX },
  });
  await web.register(fastifyCsrf, {
    cookieOpts: { path: BASE, sameSite: 'lax', httpOnly: true, secure: https },
  });
  await web.register(fastifyRateLimit, { global: false });
  await web.register(fastifyView, { engine: { eta }, templates: VIEWS_DIR });
  await web.register(fastifyStatic, { root: PUBLIC_DIR, prefix: '/static/', maxAge: '1h' });

  web.decorateRequest('web', null);
  web.addHook('preHandler', async (req, reply) => {
    if (req.routeOptions.config.public || req.routeOptions.url?.startsWith(`${BASE}/static/`)) return;
    const session = await sessionActor(svc, req.cookies[SESSION_COOKIE]);
    if (!session) return reply.redirect(`${BASE}/signin`, 303);
    req.web = session;
    setSessionCookie(reply, req.cookies[SESSION_COOKIE]!, https);
  });

  web.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err.statusCode === 403 && err.code?.startsWith('FST_CSRF')) {
      return page(reply, 'message', { title: 'errors.csrf_title', status: 403, data: { text: 'web:errors.csrf', again: '/web/' } });
    }
    if (err.statusCode === 429)
      return page(reply, 'message', { title: 'errors.rate_title', status: 429, data: { text: 'web:errors.rate' } });
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).type('text/plain; charset=utf-8').send(err.message);
    svc.log.error({ err, url: req.routeOptions.url }, 'web page failed');
    return page(reply, 'message', { title: 'errors.internal_title', status: 500, data: { text: 'web:errors.internal' } });
  });

  const signinLimit = { rateLimit: { max: SIGNIN_PER_MINUTE, timeWindow: '1 minute' } };

  web.get('/signin', { config: { public: true } }, async (req, reply) => {
    if (await sessionActor(svc, req.cookies[SESSION_COOKIE])) return reply.redirect(`${BASE}/`, 303);
    return page(reply, 'signin', { title: 'signin.title' });
  });

  // Opening the link only asks to confirm (a small script presses the button): link previews and
  // scanners that fetch the address do not use the link up; the POST does.
  web.get<{ Params: { token: string } }>('/login/:token', { config: { public: true, ...signinLimit } }, async (req, reply) => {
    const res = await checkSignIn(svc, req.params.token);
    if (!res.ok) return page(reply, 'message', { title: 'login.invalid_title', status: 410, data: { text: res.refusal.key } });
    return page(reply, 'login', { title: 'login.title', data: { action: `${BASE}/login/${req.params.token}` } });
  });

  web.post<{ Params: { token: string } }>(
    '/login/:token',
    { config: { public: true, ...signinLimit }, preValidation: web.csrfProtection },
    async (req, reply) => {
      const res = await signIn(svc, req.params.token);
      if (!res.ok) return page(reply, 'message', { title: 'login.invalid_title', status: 410, data: { text: res.refusal.key } });
      const previous = await sessionActor(svc, req.cookies[SESSION_COOKIE]);
      if (previous) await signOut(svc, previous);
      setSessionCookie(reply, res.value.session, https);
      return reply.redirect(`${BASE}/`, 303);
    },
  );

  web.post('/logout', { preValidation: web.csrfProtection }, async (req, reply) => {
    await signOut(svc, req.web!);
    reply.clearCookie(SESSION_COOKIE, { path: BASE });
    return reply.redirect(`${BASE}/signin`, 303);
  });

  await pageRoutes(web, svc);
  await checkinRoutes(web, svc);
  await broadcastRoutes(web, svc);
}

function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: BASE,
    httpOnly: true,
    sameSite: 'lax',
    secure,
    maxAge: SESSION_IDLE_DAYS * 24 * 3600,
  });
}

/** The signed-in request's actor (the preHandler has set it on every page that is not public). */
export function actorOf(req: FastifyRequest): WebSession['actor'] {
  return req.web!.actor;
}
