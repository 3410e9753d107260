import { helpFeature } from './core/help.js';
import { huyFeature } from './core/huy.js';
import { onJoinCode } from './core/joinCode.js';
import { kenhFeature } from './core/kenh.js';
import { ngonnguFeature } from './core/ngonngu.js';
import { onContact, startFeature } from './core/start.js';
import { toiFeature } from './core/toi.js';
import { Router } from './router.js';
import type { Feature } from './types.js';

export { Router } from './router.js';

/** Every feature of the bot, in the order /help lists their commands. */
export function createRouter(extra: Feature[] = []): Router {
  let router: Router | undefined;
  const features: Feature[] = [
    startFeature,
    toiFeature,
    ...extra,
    ngonnguFeature,
    kenhFeature,
    huyFeature,
    helpFeature((person) => router!.menuFor(person)),
  ];
  router = new Router(features).onContact(onContact).onLooseText(onJoinCode);
  return router;
}
