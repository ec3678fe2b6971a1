import { currentLanguage } from './i18n';
import type { AnswerAt, Method } from './api/types';

export type { ApiItem, ApiResponse } from './api/types';

/** An RFC 9457 problem returned by the API; `field` names the input at fault, `title` is in the UI language. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    readonly field?: string,
    /** The problem's own members beyond the standard ones (a refusal's `distance`, `allowed`). */
    readonly members: Record<string, unknown> = {},
  ) {
    super(title);
  }
}

let onUnauthenticated: () => void = () => {};

/** Called when the session has ended under the console (expired, logged out elsewhere). */
export function whenUnauthenticated(handler: () => void): void {
  onUnauthenticated = handler;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    // A JSON error body that does not parse: the status alone says what happened.
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    return new ApiProblem(response.status, String(body.code ?? response.status), String(body.title ?? response.statusText),
      typeof body.detail === 'string' ? body.detail : undefined, typeof body.field === 'string' ? body.field : undefined, body);
  }
  return new ApiProblem(response.status, String(response.status), response.statusText || `HTTP ${response.status}`);
}

/**
 * Headers of every call: the UI language, and the header that tells the API a change comes from the console
 * itself (another site's page cannot send it), which the API asks of every cookie-authenticated change.
 */
export function apiHeaders(): Record<string, string> {
  return { 'accept-language': currentLanguage(), 'x-yiwang-csrf': '1' };
}

async function send(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  const headers = apiHeaders();
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    headers['content-type'] = contentType;
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(`/api/v1${path}`, { method, headers, body: payload, credentials: 'same-origin' });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (problem.status === 401 && !path.startsWith('/auth/')) onUnauthenticated();
    throw problem;
  }
  return response;
}

/**
 * Calls the JSON API; throws `ApiProblem` on any 4xx/5xx. The answer's type follows from the method and
 * path, by the route's response schema; a route that declares none is typed by the caller (`api<T>`).
 */
export async function api<M extends Method, P extends string>(method: M, path: P, body?: unknown): Promise<AnswerAt<M, P>>;
export async function api<T>(method: Method, path: string, body?: unknown): Promise<T>;
export async function api(method: Method, path: string, body?: unknown): Promise<unknown> {
  const response = await send(method, path, body);
  if (response.status === 204) return undefined;
  return response.json();
}

/** For endpoints that answer in plain text (signed checkpoints, verifier keys, CSV exports). */
export async function apiText(path: string): Promise<string> {
  return (await send('GET', path)).text();
}

/** Uploads a CSV file as the request body. */
export async function apiCsv<T>(path: string, csv: string): Promise<T> {
  return (await send('POST', path, csv, 'text/csv; charset=utf-8')).json() as Promise<T>;
}

/** Query string from the defined values only (typed so that a path with it still names its route). */
export function query(params: Record<string, string | number | boolean | undefined>): '' | `?${string}` {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
