/**
 * Cross-site request forgery: a browser attaches the session cookie to a POST from any page of the same
 * site (SameSite=Lax does not tell sibling subdomains apart). A state-changing request that carries the
 * cookie must show it comes from the console's own origin. Bearer-token calls carry no ambient credential
 * and pass, as do clients that are not browsers (they send neither Sec-Fetch-Site nor Origin).
 *
 * Login is guarded without a cookie too (login CSRF): a page of another site could otherwise post the
 * attacker's credentials and leave the victim's browser signed in as the attacker, so that what the victim
 * then files or reads lands in the attacker's account. Routes mark this with `config: { opensSession: true }`.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { DomainError } from '../errors.ts';

/** Header the console sends with every call; a page of another origin cannot add it without a CORS preflight, which is never granted. */
export const csrfHeader = 'x-yiwang-csrf';

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const bearer = /^bearer\s/i;

function fromOwnOrigin(req: FastifyRequest): boolean {
  if (req.headers[csrfHeader] !== undefined) return true;
  // Fetch metadata, sent by every current browser: the authoritative answer when present.
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    // Through URL both sides drop the scheme's default port: "http://a:80" and Host "a" are one origin.
    return new URL(origin).host === new URL(`${req.protocol}://${req.host}`).host;
  } catch {
    return false; // an Origin that is no URL names no origin of ours
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route signs the caller in (sets the session cookie): cross-site posts are refused even without a cookie. */
    opensSession?: boolean;
  }
}

const opensSession = (req: FastifyRequest) => req.routeOptions.config?.opensSession === true;

/** onRequest hook refusing cookie-authenticated state changes from another origin with 403 `csrf`. */
export function crossSiteGuard(cookieName: string) {
  const cookiePrefix = `${cookieName}=`;
  return (req: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const ambient = req.headers.cookie?.includes(cookiePrefix) === true || opensSession(req);
    if (!stateChanging.has(req.method) || bearer.test(req.headers.authorization ?? '') || !ambient || fromOwnOrigin(req)) return done();
    done(new DomainError('csrf', { status: 403 }, 'a request with the session cookie must come from the console\'s own origin'));
  };
}
