/**
 * The API's types as the console uses them, from `schema.gen.ts` (generated from the route schemas by
 * `npm run gen:api`). Paths are those `api()` takes: under /api/v1, without it.
 */
import type { paths } from './schema.gen.ts';

type Routes = { [K in keyof paths as K extends `/api/v1${infer P}` ? P : never]: paths[K] };
/** A documented route, `{name}` for a path parameter: '/hotline/tickets/{id}'. */
export type ApiRoute = keyof Routes;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
type Answer<Op> = Op extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201>]> : never;

/** The JSON body a route answers with on success: `ApiResponse<'/hotline/tickets/{id}'>`. */
export type ApiResponse<R extends ApiRoute, M extends Method = 'GET'> = Answer<Routes[R][Lowercase<M> & keyof Routes[R]]>;
/** An element of a list answer: `ApiItem<'/hotline/alerts'>`. */
export type ApiItem<R extends ApiRoute, M extends Method = 'GET'> = ApiResponse<R, M> extends { items: (infer I)[] } ? I : never;

// Matching a call's path (`/hotline/tickets/${id}?token=…`) to its route, one segment at a time, so that
// `{id}` takes one segment and a literal route (`/hotline/tickets/duplicates`) wins over a parameter.
type Segments<S extends string> = S extends `${infer Head}/${infer Tail}` ? [Head, ...Segments<Tail>] : [S];
type SegmentMatches<Call, Template> = Template extends `{${string}}` ? (Call extends '' ? false : true) : Call extends Template ? true : false;
type Matches<Call extends unknown[], Template extends unknown[]> = Call extends [infer C, ...infer CallRest]
  ? Template extends [infer T, ...infer TemplateRest] ? (SegmentMatches<C, T> extends true ? Matches<CallRest, TemplateRest> : false) : false
  : Template extends [] ? true : false;
type WithoutQuery<P extends string> = P extends `${infer Path}?${string}` ? Path : P;
type RouteOf<P extends string> = WithoutQuery<P> extends ApiRoute ? WithoutQuery<P>
  : { [R in ApiRoute]: Matches<Segments<WithoutQuery<P>>, Segments<R>> extends true ? R : never }[ApiRoute];
type Documented<R, M extends Method> = R extends ApiRoute ? ([Answer<Routes[R][Lowercase<M> & keyof Routes[R]]>] extends [never] ? unknown
  : Answer<Routes[R][Lowercase<M> & keyof Routes[R]]>) : unknown;

/**
 * What a call answers, from its method and path: the route's response schema, or `unknown` for a route
 * that declares none (the caller then names the type it expects: `api<T>(…)`).
 */
export type AnswerAt<M extends Method, P extends string> = P extends string ? ([RouteOf<P>] extends [never] ? unknown : Documented<RouteOf<P>, M>) : never;
