/**
 * The catalogue as CKAN sees it (Action API v3, as CKAN 2.10 answers it), so CKAN clients (ckanapi) and
 * harvesters (ckanext-harvest, ckanext-dcat) can read it. A catalogue entry is a CKAN package named by its
 * code; its provider a CKAN organization named by its department code; its subject (the 项 of the code) a
 * CKAN group; its field names its tags. Share type, update cycle and grades go in `extras`, the fields (信息项)
 * in the resource's `fields`. Every action answers GET (query string) and POST (JSON or form body). `fq` and
 * fielded `q` take the subset of Solr's syntax described in docs/hub.md; anything else is a Validation Error.
 * Visibility is the catalogue's own: private (not 无条件开放) entries only with `include_private` and only to staff.
 */
import type { Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { dayNumber } from '../kernel/calendar/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { viewResource, type Field, type Resource } from './entries.ts';
import { searchCatalogue, type CatalogueQuery, type EntryCondition, type ExtraFacet, type FacetValue, type SortKey } from './search.ts';
import { themeBySlug, themeByItem, themeOfCode, themes, type Theme } from './themes.ts';

/** A CKAN error: `type` is CKAN's `__type`, `status` the HTTP status CKAN uses for it, `fields` what CKAN lists per parameter. */
export class CkanError extends Error {
  constructor(readonly status: number, readonly type: string, message: string, readonly fields: Record<string, string[]> = {}) {
    super(message);
  }
}

/** The CKAN version whose Action API this answers like. */
export const ckanVersion = '2.10.4';

const invalid = (param: string, message: string) => new CkanError(409, 'Validation Error', `${param}: ${message}`, { [param]: [message] });

/** Parameters as a client sends them: strings from a query string or a form, typed values from a JSON body. */
export type CkanParams = Record<string, unknown>;

function intParam(params: CkanParams, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n)) throw invalid(name, 'Invalid integer');
  if (n < min) throw invalid(name, `Must be at least ${min}`);
  return Math.min(n, max);
}

function boolParam(params: CkanParams, name: string, fallback: boolean): boolean {
  const raw = params[name];
  if (raw === undefined || raw === '') return fallback;
  if (typeof raw === 'boolean') return raw;
  const text = String(raw).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw invalid(name, 'Not a boolean');
}

function stringParam(params: CkanParams, name: string): string | undefined {
  const raw = params[name];
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' && typeof raw !== 'number') throw invalid(name, 'Must be a string');
  return String(raw);
}

function requiredParam(params: CkanParams, name: string): string {
  const value = stringParam(params, name)?.trim();
  if (!value) throw new CkanError(409, 'Validation Error', `${name}: Missing value`, { [name]: ['Missing value'] });
  return value;
}

/** A list as CKAN takes it: a JSON array (in a JSON body or as JSON text in a query string), or repeated parameters. */
function listParam(params: CkanParams, name: string): string[] | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  let list: unknown = raw;
  if (typeof raw === 'string') {
    try {
      list = raw.trim().startsWith('[') ? JSON.parse(raw) : [raw];
    } catch {
      throw invalid(name, 'Not a JSON list');
    }
  }
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw invalid(name, 'Not a list of strings');
  return list;
}

function rejectUnknown(params: CkanParams, known: readonly string[]): void {
  // jQuery's cache buster and JSONP callback, which CKAN ignores too.
  const unknown = Object.keys(params).filter((k) => !known.includes(k) && k !== '_' && k !== 'callback');
  if (unknown.length) throw invalid(unknown[0]!, 'The parameter is not supported here');
}

/** CKAN names are lower-case; our codes are upper-case. */
const ckanName = (code: string) => code.toLowerCase();

const OPEN_LICENCE = { id: 'cc-by', title: 'Creative Commons Attribution', url: 'http://www.opendefinition.org/licenses/cc-by' };
const CLOSED_LICENCE = { id: 'other-closed', title: 'Other (Not Open)', url: '' };

/** CKAN's timestamps: UTC without a zone, as CKAN writes them. */
const ckanTime = (iso: string) => new Date(iso).toISOString().replace('Z', '');

interface Department {
  id: number;
  code: string;
  name: string;
  createdAt: string;
}

interface PackageContext {
  baseUrl: string;
  departments: Map<number, Department>;
  created: Map<number, string>;
  fields: Map<number, Field[]>;
}

function ckanPackage(resource: Omit<Resource, 'fields'>, context: PackageContext) {
  const department = context.departments.get(resource.providerDepartmentId)!;
  const fields = context.fields.get(resource.id) ?? [];
  const theme = themeOfCode(resource.code);
  const open = resource.openType === 'open';
  const licence = open ? OPEN_LICENCE : CLOSED_LICENCE;
  const organization = { id: String(department.id), name: ckanName(department.code), title: department.name, type: 'organization',
    is_organization: true, state: 'active', approval_status: 'approved', description: '', image_url: '', created: ckanTime(department.createdAt) };
  const tags = [...new Set(fields.map((f) => f.name))];
  return {
    id: resource.code,
    name: ckanName(resource.code),
    title: resource.name,
    notes: resource.summary,
    type: 'dataset',
    state: resource.status === 'retired' ? 'deleted' : resource.status === 'published' ? 'active' : 'draft',
    private: !open,
    isopen: open,
    license_id: licence.id,
    license_title: licence.title,
    license_url: licence.url,
    author: department.name,
    maintainer: department.name,
    version: String(resource.version),
    metadata_created: ckanTime(context.created.get(resource.id) ?? resource.updatedAt),
    metadata_modified: ckanTime(resource.updatedAt),
    organization,
    owner_org: String(department.id),
    num_resources: 1,
    num_tags: tags.length,
    tags: tags.map((name) => ({ name, display_name: name, state: 'active', vocabulary_id: null })),
    groups: theme ? [{ id: theme.slug, name: theme.slug, title: theme.name, display_name: theme.name, description: theme.nameEn, image_display_url: '' }] : [],
    resources: [{
      id: `${resource.code}/${resource.kind}`, package_id: resource.code, name: resource.name, description: resource.summary, format: resource.format,
      mimetype: 'application/json', state: 'active', position: 0, url: `${context.baseUrl}/hub/v1/call/${resource.code}`,
      fields: fields.map((f) => ({ id: f.code, name: f.name, type: f.type, length: f.length, sensitivity: f.sensitivity, level: f.level })),
    }],
    extras: [
      { key: 'share_type', value: resource.shareType },
      { key: 'open_type', value: resource.openType },
      { key: 'update_cycle', value: resource.updateCycle },
      { key: 'sensitivity', value: resource.topSensitivity },
      { key: 'status', value: resource.status },
    ],
  };
}

async function departmentsOf(db: Queryable, where: string, values: unknown[]): Promise<Department[]> {
  const { rows } = await db.query<Department>(
    `SELECT id::int AS id, code, name, to_json(created_at) #>> '{}' AS "createdAt" FROM departments WHERE ${where}`, values);
  return rows;
}

/** What packages need beside the entries: their departments, creation times and the fields of the version shown. */
async function packageContext(db: Queryable, items: Omit<Resource, 'fields'>[], baseUrl: string): Promise<PackageContext> {
  const ids = items.map((r) => r.id);
  const [departments, created, fields] = await Promise.all([
    departmentsOf(db, 'id = ANY($1::bigint[])', [[...new Set(items.map((r) => r.providerDepartmentId))]]),
    db.query<{ id: number; at: string }>(`SELECT id::int AS id, to_json(created_at) #>> '{}' AS at FROM hub_resources WHERE id = ANY($1::bigint[])`, [ids]),
    // The fields of the version shown: a published version's as published, a working copy's as they are now.
    db.query<{ id: number; fields: Field[] }>(
      `SELECT i.id::int AS id, coalesce(v.entry->'fields', (SELECT jsonb_agg(jsonb_build_object('code', f.code, 'name', f.name, 'type', f.type,
          'length', f.length, 'sensitivity', f.sensitivity, 'level', f.level) ORDER BY f.position) FROM hub_resource_fields f WHERE f.resource_id = i.id),
          '[]'::jsonb) AS fields
        FROM unnest($1::bigint[], $2::int[], $3::text[]) AS i(id, version, status)
        LEFT JOIN hub_resource_versions v ON v.resource_id = i.id AND v.version = i.version AND i.status IN ('published', 'retired')`,
      [ids, items.map((r) => r.version), items.map((r) => r.status)]),
  ]);
  return {
    baseUrl,
    departments: new Map(departments.map((d) => [d.id, d])),
    created: new Map(created.rows.map((r) => [r.id, r.at])),
    fields: new Map(fields.rows.map((r) => [r.id, r.fields])),
  };
}

async function toPackages(db: Queryable, items: Omit<Resource, 'fields'>[], baseUrl: string) {
  const context = await packageContext(db, items, baseUrl);
  return items.map((r) => ckanPackage(r, context));
}

// ---- Solr's query syntax, the subset harvesters and ckanapi users write ----

type Token = { kind: 'open' | 'close' | 'and' | 'or' | 'not' | 'must' | 'all' } | { kind: 'clause'; field: string; value: ClauseValue };
type ClauseValue = { text: string } | { range: [string, string] } | { any: string[] };

const FIELD = /^([A-Za-z_][A-Za-z0-9_.]*):/;

/** One term at `at`: a quoted string (backslash escapes) or a bare word ending at whitespace or at one of `stops`. */
function readTerm(input: string, at: number, param: string, stops: string): [string, number] {
  let i = at;
  let text = '';
  if (input[i] === '"') {
    for (i++; i < input.length && input[i] !== '"'; i++) {
      if (input[i] === '\\' && i + 1 < input.length) i++;
      text += input[i];
    }
    if (i >= input.length) throw invalid(param, 'Unclosed quotation mark');
    return [text, i + 1];
  }
  for (; i < input.length && !/\s/.test(input[i]!) && !stops.includes(input[i]!); i++) {
    if (input[i] === '\\' && i + 1 < input.length) i++;
    text += input[i];
  }
  if (!text) throw invalid(param, 'A field without a value');
  return [text, i];
}

const skipSpace = (input: string, at: number) => at + (/^\s*/.exec(input.slice(at))?.[0].length ?? 0);

/** The value after `field:`: a term, a range `[from TO to]` (or `{…}`), or a list `(a OR b …)`. */
function readValue(input: string, at: number, param: string): [ClauseValue, number] {
  const open = input[at];
  if (open === '[' || open === '{') {
    const [from, afterFrom] = readTerm(input, skipSpace(input, at + 1), param, ']}');
    const to = skipSpace(input, afterFrom);
    if (input.slice(to, to + 2) !== 'TO' || !/\s/.test(input[to + 2] ?? '')) throw invalid(param, 'A range is written [from TO to]');
    const [until, afterUntil] = readTerm(input, skipSpace(input, to + 2), param, ']}');
    const close = skipSpace(input, afterUntil);
    if (input[close] !== ']' && input[close] !== '}') throw invalid(param, 'Unclosed range');
    return [{ range: [from, until] }, close + 1];
  }
  if (open === '(') {
    const values: string[] = [];
    for (let i = skipSpace(input, at + 1); ; i = skipSpace(input, i)) {
      if (i >= input.length) throw invalid(param, 'Unclosed parenthesis');
      if (input[i] === ')') return [{ any: values }, i + 1];
      const word = /^(AND|OR|NOT|&&|\|\|)(?=[\s()]|$)/.exec(input.slice(i))?.[1];
      if (word === 'OR' || word === '||') { i += word.length; continue; }
      if (word) throw invalid(param, 'Within field:(…) only OR is supported');
      const [value, next] = readTerm(input, i, param, '()');
      values.push(value);
      i = next;
    }
  }
  const [text, next] = readTerm(input, at, param, '()');
  return [{ text }, next];
}

function tokenize(input: string, param: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '(') { tokens.push({ kind: 'open' }); i++; continue; }
    if (c === ')') { tokens.push({ kind: 'close' }); i++; continue; }
    if (c === '-' || c === '!') { tokens.push({ kind: 'not' }); i++; continue; }
    if (c === '+') { tokens.push({ kind: 'must' }); i++; continue; }
    const rest = input.slice(i);
    const word = /^(AND|OR|NOT|&&|\|\|)(?=[\s(]|$)/.exec(rest);
    if (word) {
      tokens.push({ kind: word[1] === 'AND' || word[1] === '&&' ? 'and' : word[1] === 'NOT' ? 'not' : 'or' });
      i += word[1]!.length;
      continue;
    }
    if (rest.startsWith('*:*')) { tokens.push({ kind: 'all' }); i += 3; continue; }
    const field = FIELD.exec(rest);
    if (!field) throw invalid(param, `Only field:value terms are supported, not "${rest.split(/\s/)[0]}"`);
    const [value, next] = readValue(input, i + field[0].length, param);
    tokens.push({ kind: 'clause', field: field[1]!, value });
    i = next;
  }
  return tokens;
}

type Clause = Extract<Token, { kind: 'clause' }>;
type Tree = { all: true } | { clause: Clause } | { and: Tree[] } | { or: Tree[] } | { not: Tree };

/** Parses `or := and (OR and)*`, `and := unary ((AND)? unary)*`, `unary := (NOT|-|!|+) unary | ( or ) | *:* | field:value`. */
function parse(tokens: Token[], param: string): Tree {
  let at = 0;
  const peek = () => tokens[at];
  function or(): Tree {
    const parts = [and()];
    while (peek()?.kind === 'or') { at++; parts.push(and()); }
    return parts.length === 1 ? parts[0]! : { or: parts };
  }
  function and(): Tree {
    const parts = [unary()];
    for (;;) {
      const next = peek();
      if (!next || next.kind === 'or' || next.kind === 'close') break;
      if (next.kind === 'and') at++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0]! : { and: parts };
  }
  function unary(): Tree {
    const token = tokens[at++];
    if (!token) throw invalid(param, 'The expression ends too early');
    if (token.kind === 'not') return { not: unary() };
    if (token.kind === 'must') return unary();
    if (token.kind === 'all') return { all: true };
    if (token.kind === 'clause') return { clause: token };
    if (token.kind === 'open') {
      const inner = or();
      if (tokens[at++]?.kind !== 'close') throw invalid(param, 'Unclosed parenthesis');
      return inner;
    }
    throw invalid(param, `Unexpected ${token.kind.toUpperCase()}`);
  }
  const tree = or();
  if (at < tokens.length) throw invalid(param, 'Unbalanced parenthesis');
  return tree;
}

const DATE_UNITS = ['YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLI'] as const;
/** Solr's unit names, singular and plural (DATE is DAY), to their place in a date's parts. */
const dateUnit = (name: string): number => {
  const unit = name === 'DATE' ? 'DAY' : name.replace(/^MILLISECONDS?$/, 'MILLI').replace(/S$/, '');
  return DATE_UNITS.indexOf(unit as (typeof DATE_UNITS)[number]);
};

/** Solr's date math, left to right in UTC: `+3DAYS`, `-1MONTH` move; `/DAY` rounds down to the unit. */
function dateMath(start: Date, ops: string, param: string): Date {
  const step = /([+-])(\d+)([A-Z]+)|\/([A-Z]+)/y;
  let at = start;
  for (let i = 0; i < ops.length; i = step.lastIndex) {
    step.lastIndex = i;
    const m = step.exec(ops);
    const unit = m ? dateUnit(m[3] ?? m[4]!) : -1;
    if (!m || unit < 0) throw invalid(param, `Not Solr date math: "${ops.slice(i)}"`);
    const parts = [at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(),
      at.getUTCMilliseconds()];
    if (m[4]) parts.forEach((_, j) => { if (j > unit) parts[j] = j === 2 ? 1 : 0; });
    else parts[unit] = parts[unit]! + Number(m[2]) * (m[1] === '-' ? -1 : 1);
    const [year, month, day, hour, minute, second, milli] = parts as [number, number, number, number, number, number, number];
    at = new Date(Date.UTC(year, month, day, hour, minute, second, milli));
  }
  return at;
}

/**
 * A Solr date as an ISO instant, undefined for `*`: `NOW` or a date (`2024-05-01T10:00:00.123456Z`, CKAN's zoneless UTC,
 * a day), either followed by date math (`NOW/DAY-7DAYS`). A date without math keeps its microseconds.
 */
function solrInstant(value: string, param: string, now: Date): string | undefined {
  if (value === '*') return undefined;
  const m = /^(?:NOW|(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?(Z|[+-]\d{2}:\d{2})?)((?:[/+-][0-9A-Z]+)*)$/.exec(value);
  if (!m) throw invalid(param, `Not a date: "${value}"`);
  const [, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z', ops = ''] = m;
  if (day === undefined) return dateMath(now, ops, param).toISOString();
  if (dayNumber(day) === null || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) throw invalid(param, `Not a date: "${value}"`);
  const iso = `${day}T${hour}:${minute}:${second}${fraction}${zone}`;
  return ops ? dateMath(new Date(iso), ops, param).toISOString() : iso;
}

const STATE_OF: Record<string, string[]> = { active: ['published'], draft: ['draft', 'review'], deleted: ['retired'] };
const COLUMN_FIELDS: Record<string, 'shareType' | 'openType' | 'sensitivity' | 'updateCycle' | 'status' | 'format' | 'tag'> = {
  share_type: 'shareType', open_type: 'openType', sensitivity: 'sensitivity', update_cycle: 'updateCycle', status: 'status',
  res_format: 'format', tags: 'tag',
};
/** The fields `fq` and fielded `q` take (docs/hub.md lists them with what they mean here). */
const ckanQueryFields = ['organization', 'owner_org', 'groups', 'tags', 'res_format', 'license_id', 'name', 'id', 'capacity', 'state',
  'type', 'dataset_type', 'metadata_modified', ...Object.keys(COLUMN_FIELDS).filter((f) => f !== 'tags' && f !== 'res_format')] as const;

async function toCondition(db: Queryable, tree: Tree, param: string, now: Date): Promise<EntryCondition> {
  if ('all' in tree) return { and: [] };
  if ('and' in tree) return { and: await Promise.all(tree.and.map((t) => toCondition(db, t, param, now))) };
  if ('or' in tree) return { or: await Promise.all(tree.or.map((t) => toCondition(db, t, param, now))) };
  if ('not' in tree) return { not: await toCondition(db, tree.not, param, now) };
  const { field, value } = tree.clause;
  if (field === 'metadata_modified') {
    if ('any' in value) throw invalid(param, 'metadata_modified takes a date or a range');
    const [from, to] = 'range' in value ? value.range : [value.text, value.text];
    return { modified: { from: solrInstant(from, param, now), to: solrInstant(to, param, now) } };
  }
  if ('range' in value) throw invalid(param, `Ranges are supported on metadata_modified only, not on ${field}`);
  const values = 'any' in value ? value.any : [value.text];
  if (values.some((v) => /[*?]/.test(v))) throw invalid(param, 'Wildcards are not supported');
  switch (field) {
    case 'organization': {
      const found = await departmentsOf(db, 'lower(code) = ANY($1::text[])', [values.map((v) => v.toLowerCase())]);
      return { column: 'provider', values: found.map((d) => String(d.id)) };
    }
    case 'owner_org': return { column: 'provider', values };
    case 'groups': return { column: 'theme', values: values.flatMap((v) => themeBySlug(v)?.item ?? []) };
    case 'name': case 'id': return { column: 'code', values: values.map((v) => v.toUpperCase()) };
    case 'license_id': return { column: 'openType', values: values.flatMap((v) => (v === OPEN_LICENCE.id ? ['open'] : v === CLOSED_LICENCE.id ? ['conditional', 'closed'] : [])) };
    case 'capacity': return { column: 'openType', values: values.flatMap((v) => (v === 'public' ? ['open'] : v === 'private' ? ['conditional', 'closed'] : [])) };
    case 'state': return { column: 'status', values: values.flatMap((v) => STATE_OF[v] ?? []) };
    case 'type': case 'dataset_type': return values.includes('dataset') ? { and: [] } : { or: [] };
    default: {
      const column = COLUMN_FIELDS[field];
      if (!column) throw invalid(param, `Unknown field "${field}"; supported: ${ckanQueryFields.join(', ')}`);
      return { column, values };
    }
  }
}

/** `fq` (or a fielded `q`) as a condition over the entries. */
async function solrCondition(db: Queryable, expression: string, param: string, now = new Date()): Promise<EntryCondition> {
  return toCondition(db, parse(tokenize(expression, param), param), param, now);
}

const SORT_FIELDS: Record<string, SortKey['key']> = {
  score: 'score', metadata_modified: 'modified', name: 'code', id: 'code', title_string: 'name', title: 'name',
};

function sortKeys(sort: string): SortKey[] {
  return sort.split(',').map((part) => {
    const [field, direction = 'asc', ...more] = part.trim().split(/\s+/);
    const key = SORT_FIELDS[field ?? ''];
    if (!key || more.length || !['asc', 'desc'].includes(direction.toLowerCase()))
      throw invalid('sort', `Cannot sort by "${part.trim()}"; supported: ${Object.keys(SORT_FIELDS).join(', ')} with asc or desc`);
    return { key, desc: direction.toLowerCase() === 'desc' };
  });
}

const FACET_FIELDS = ['organization', 'owner_org', 'groups', 'tags', 'res_format', 'license_id', 'share_type', 'open_type', 'sensitivity',
  'update_cycle', 'state'] as const;
type FacetField = (typeof FACET_FIELDS)[number];
/** The facets searchCatalogue counts only when asked. */
const EXTRA_FACET_OF: Partial<Record<FacetField, ExtraFacet>> = { groups: 'theme', tags: 'tag', res_format: 'format', update_cycle: 'updateCycle' };

const PACKAGE_SEARCH_PARAMS = ['q', 'fq', 'fq_list', 'sort', 'rows', 'start', 'facet', 'facet.field', 'facet.limit', 'facet.mincount',
  'include_private', 'include_drafts', 'include_deleted'];

/** What a caller sees as CKAN packages: active (published) entries; drafts and deleted ones when asked; private ones when asked. */
function visibility(includePrivate: boolean, includeDrafts: boolean, includeDeleted: boolean): EntryCondition[] {
  const states = ['published', ...(includeDrafts ? ['draft', 'review'] : []), ...(includeDeleted ? ['retired'] : [])];
  return [{ column: 'status', values: states }, ...(includePrivate ? [] : [{ column: 'openType' as const, values: ['open'] }])];
}

/** `q` as CKAN takes it: `*:*` or nothing for everything, text for the full-text search, `field:value` terms like `fq`. */
async function textOf(db: Queryable, q: string | undefined, where: EntryCondition[]): Promise<string | undefined> {
  const text = q?.trim();
  if (!text || text === '*:*') return undefined;
  if (/(^|[\s(+-])[A-Za-z_]+:/.test(text)) {
    where.push(await solrCondition(db, text, 'q'));
    return undefined;
  }
  return text;
}

export async function packageSearch(db: Queryable, actor: Actor, params: CkanParams, baseUrl = '') {
  rejectUnknown(params, PACKAGE_SEARCH_PARAMS);
  const where = visibility(boolParam(params, 'include_private', false), boolParam(params, 'include_drafts', false),
    boolParam(params, 'include_deleted', false));
  const q = await textOf(db, stringParam(params, 'q'), where);
  for (const [i, fq] of [stringParam(params, 'fq') ?? '', ...(listParam(params, 'fq_list') ?? [])].entries())
    if (fq.trim()) where.push(await solrCondition(db, fq, i === 0 ? 'fq' : 'fq_list'));
  const sort = stringParam(params, 'sort')?.trim() || (q ? 'score desc, metadata_modified desc' : 'metadata_modified desc');
  const facetOn = boolParam(params, 'facet', true) ? (listParam(params, 'facet.field') ?? []) : [];
  const unknownFacet = facetOn.find((f) => !(FACET_FIELDS as readonly string[]).includes(f));
  if (unknownFacet) throw invalid('facet.field', `Cannot count "${unknownFacet}"; supported: ${FACET_FIELDS.join(', ')}`);
  const facetLimit = intParam(params, 'facet.limit', 50, -1);
  const facetMin = intParam(params, 'facet.mincount', 1, 0);
  const query: CatalogueQuery = {
    q, where: { and: where }, sort: sortKeys(sort), limit: intParam(params, 'rows', 10, 0, 1000), offset: intParam(params, 'start', 0, 0),
    extraFacets: [...new Set((facetOn as FacetField[]).flatMap((f) => EXTRA_FACET_OF[f] ?? []))],
  };
  const page = await searchCatalogue(db, actor, query);
  const facets: Record<string, Record<string, number>> = {};
  const searchFacets: Record<string, { title: string; items: { name: string; display_name: string; count: number }[] }> = {};
  if (facetOn.length) {
    const providers = await departmentsOf(db, 'id = ANY($1::bigint[])', [page.facets.provider.map((f) => Number(f.value))]);
    const byId = new Map(providers.map((d) => [String(d.id), d]));
    for (const field of facetOn as FacetField[]) {
      const items = facetItems(field, page, byId).filter((i) => i.count >= facetMin)
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, facetLimit < 0 ? undefined : facetLimit);
      facets[field] = Object.fromEntries(items.map((i) => [i.name, i.count]));
      searchFacets[field] = { title: field, items };
    }
  }
  return {
    count: page.total,
    sort,
    results: await toPackages(db, page.items, baseUrl),
    facets,
    search_facets: searchFacets,
  };
}

function facetItems(field: FacetField, page: Awaited<ReturnType<typeof searchCatalogue>>, providers: Map<string, Department>) {
  const plain = (values: FacetValue[] | undefined, name: (v: string) => string = (v) => v, label: (v: string) => string = name) =>
    (values ?? []).map((f) => ({ name: name(f.value), display_name: label(f.value), count: f.count }));
  switch (field) {
    case 'organization':
      return plain(page.facets.provider, (v) => ckanName(providers.get(v)!.code), (v) => providers.get(v)!.name);
    case 'owner_org': return plain(page.facets.provider, (v) => v, (v) => providers.get(v)!.name);
    case 'groups':
      return plain(page.extraFacets.theme?.filter((f) => themeByItem(f.value)), (v) => themeByItem(v)!.slug, (v) => themeByItem(v)!.name);
    case 'tags': return plain(page.extraFacets.tag);
    case 'res_format': return plain(page.extraFacets.format);
    case 'update_cycle': return plain(page.extraFacets.updateCycle);
    case 'share_type': return plain(page.facets.shareType);
    case 'open_type': return plain(page.facets.openType);
    case 'sensitivity': return plain(page.facets.sensitivity);
    case 'state': {
      const counts = new Map<string, number>();
      for (const f of page.facets.status) {
        const state = Object.keys(STATE_OF).find((s) => STATE_OF[s]!.includes(f.value))!;
        counts.set(state, (counts.get(state) ?? 0) + f.count);
      }
      return [...counts].map(([name, count]) => ({ name, display_name: name, count }));
    }
    case 'license_id': {
      const open = page.facets.openType.find((f) => f.value === 'open')?.count ?? 0;
      const closed = page.facets.openType.filter((f) => f.value !== 'open').reduce((sum, f) => sum + f.count, 0);
      return [{ name: OPEN_LICENCE.id, display_name: OPEN_LICENCE.title, count: open },
        { name: CLOSED_LICENCE.id, display_name: CLOSED_LICENCE.title, count: closed }].filter((i) => i.count > 0);
    }
  }
}

export async function packageShow(db: Queryable, actor: Actor, params: CkanParams, baseUrl = '') {
  const id = requiredParam(params, 'id');
  let resource: Resource;
  try {
    resource = (await viewResource(db, actor, id.toUpperCase())).resource;
  } catch (error) {
    // Only "no such entry (for this caller)" is CKAN's Not Found; a failing database stays a server error.
    if (error instanceof DomainError && error.status === 404) throw new CkanError(404, 'Not Found Error', 'Not found');
    throw error;
  }
  return (await toPackages(db, [resource], baseUrl))[0]!;
}

/** Every public, active package in pages, for the listing actions (package_list, tag_list, current_package_list_with_resources). */
async function publicPackages(db: Queryable, actor: Actor, extra: Partial<CatalogueQuery> & Pick<CatalogueQuery, 'limit' | 'offset'>) {
  return searchCatalogue(db, actor, { ...extra, where: { and: [...visibility(false, false, false), ...(extra.where ? [extra.where] : [])] } });
}

export async function packageList(db: Queryable, actor: Actor, params: CkanParams) {
  rejectUnknown(params, ['limit', 'offset']);
  const page = await publicPackages(db, actor, { sort: [{ key: 'code', desc: false }], limit: intParam(params, 'limit', 1000, 0, 1000),
    offset: intParam(params, 'offset', 0, 0) });
  return page.items.map((r) => ckanName(r.code));
}

export async function currentPackageListWithResources(db: Queryable, actor: Actor, params: CkanParams, baseUrl = '') {
  rejectUnknown(params, ['limit', 'offset', 'page']);
  const limit = intParam(params, 'limit', 1000, 1, 1000);
  const pageNumber = params.page === undefined ? undefined : intParam(params, 'page', 1, 1);
  const offset = pageNumber === undefined ? intParam(params, 'offset', 0, 0) : (pageNumber - 1) * limit;
  const page = await publicPackages(db, actor, { sort: [{ key: 'modified', desc: true }], limit, offset });
  return toPackages(db, page.items, baseUrl);
}

export async function packageAutocomplete(db: Queryable, actor: Actor, params: CkanParams) {
  rejectUnknown(params, ['q', 'limit']);
  const q = requiredParam(params, 'q');
  const page = await publicPackages(db, actor, { where: { contains: q }, sort: [{ key: 'name', desc: false }],
    limit: intParam(params, 'limit', 10, 1, 100), offset: 0 });
  return page.items.map((r) => {
    const byName = r.code.toLowerCase().includes(q.toLowerCase());
    return { name: ckanName(r.code), title: r.name, match_field: byName ? 'name' : 'title', match_displayed: byName ? ckanName(r.code) : r.name };
  });
}

export async function tagList(db: Queryable, actor: Actor, params: CkanParams) {
  rejectUnknown(params, ['query', 'all_fields', 'vocabulary_id']);
  if (params.vocabulary_id !== undefined) throw invalid('vocabulary_id', 'There are no tag vocabularies');
  const query = stringParam(params, 'query')?.toLowerCase();
  const page = await publicPackages(db, actor, { extraFacets: ['tag'], limit: 0, offset: 0 });
  const names = (page.extraFacets.tag ?? []).map((f) => f.value).filter((t) => !query || t.toLowerCase().includes(query)).sort();
  return boolParam(params, 'all_fields', false) ? names.map((name) => ({ id: name, name, display_name: name, vocabulary_id: null })) : names;
}

interface GroupDict { id: string; name: string; title: string; display_name: string; package_count: number; [key: string]: unknown }

/** organization_list and group_list: CKAN's sorting, paging, name filter and `all_fields`. */
function listGroups(groups: GroupDict[], params: CkanParams, param: string) {
  rejectUnknown(params, ['sort', 'limit', 'offset', 'all_fields', param, 'q', 'include_dataset_count', 'include_extras', 'include_groups',
    'include_users', 'include_tags', 'type']);
  const allFields = boolParam(params, 'all_fields', false);
  const only = listParam(params, param);
  const q = stringParam(params, 'q')?.toLowerCase();
  const [key = 'title', direction = 'asc'] = (stringParam(params, 'sort') ?? 'title asc').trim().split(/\s+/);
  if (!['name', 'title', 'package_count'].includes(key) || !['asc', 'desc'].includes(direction))
    throw invalid('sort', 'Sort by name, title or package_count, asc or desc');
  const sign = direction === 'desc' ? -1 : 1;
  const sorted = groups.filter((g) => (!only || only.includes(g.name)) && (!q || g.name.includes(q) || g.title.toLowerCase().includes(q)))
    .sort((a, b) => sign * (key === 'package_count' ? a.package_count - b.package_count : String(a[key]).localeCompare(String(b[key])))
      || a.name.localeCompare(b.name));
  const limit = intParam(params, 'limit', allFields ? 25 : 1000, 0, allFields ? 25 : 1000);
  const page = sorted.slice(intParam(params, 'offset', 0, 0)).slice(0, limit);
  return allFields ? page : page.map((g) => g.name);
}

const organizationDict = (d: Department, packageCount: number): GroupDict => ({
  id: String(d.id), name: ckanName(d.code), title: d.name, display_name: d.name, type: 'organization', is_organization: true, state: 'active',
  approval_status: 'approved', description: '', image_url: '', created: ckanTime(d.createdAt), package_count: packageCount,
});

/** Published entries the caller may see, private ones too: what organizations and groups count. */
const countedEntries = (db: Queryable, actor: Actor, extra: Partial<CatalogueQuery> = {}) =>
  searchCatalogue(db, actor, { limit: 0, offset: 0, ...extra, where: { and: [{ column: 'status', values: ['published'] }, ...(extra.where ? [extra.where] : [])] } });

/** Departments providing at least one published entry the caller may see. */
export async function organizationList(db: Queryable, actor: Actor, params: CkanParams) {
  const page = await countedEntries(db, actor);
  const departments = await departmentsOf(db, 'id = ANY($1::bigint[])', [page.facets.provider.map((f) => Number(f.value))]);
  const counts = new Map(page.facets.provider.map((f) => [Number(f.value), f.count]));
  return listGroups(departments.map((d) => organizationDict(d, counts.get(d.id)!)), params, 'organizations');
}

const SHOW_PARAMS = ['id', 'include_datasets', 'include_dataset_count', 'include_extras', 'include_users', 'include_groups', 'include_tags',
  'include_followers', 'include_member_count'];

/** organization_show and group_show: the dict, and with `include_datasets` the published entries (up to 1,000) the caller may see under it. */
async function showWithDatasets(db: Queryable, actor: Actor, params: CkanParams, baseUrl: string, where: EntryCondition, dict: (count: number) => GroupDict) {
  const includeDatasets = boolParam(params, 'include_datasets', false);
  const page = await countedEntries(db, actor, { where, limit: includeDatasets ? 1000 : 0, sort: [{ key: 'code', desc: false }] });
  return { ...dict(page.total), ...(includeDatasets ? { packages: await toPackages(db, page.items, baseUrl) } : {}) };
}

export async function organizationShow(db: Queryable, actor: Actor, params: CkanParams, baseUrl = '') {
  rejectUnknown(params, SHOW_PARAMS);
  const id = requiredParam(params, 'id');
  // A department id (as `owner_org` gives it) or its code; an id too long for a bigint names no department.
  const [department] = /^\d+$/.test(id) ? await departmentsOf(db, 'id::text = $1', [id]) : await departmentsOf(db, 'lower(code) = $1', [id.toLowerCase()]);
  if (!department) throw new CkanError(404, 'Not Found Error', 'Organization not found');
  return showWithDatasets(db, actor, params, baseUrl, { column: 'provider', values: [String(department.id)] }, (n) => organizationDict(department, n));
}

const groupDict = (theme: Theme, packageCount: number): GroupDict => ({
  id: theme.slug, name: theme.slug, title: theme.name, display_name: theme.name, description: theme.nameEn, type: 'group', is_organization: false,
  state: 'active', approval_status: 'approved', image_url: '', package_count: packageCount,
});

/** The subjects of the classification, each a CKAN group, with the published entries the caller may see under it. */
export async function groupList(db: Queryable, actor: Actor, params: CkanParams) {
  const page = await countedEntries(db, actor, { extraFacets: ['theme'] });
  const counts = new Map((page.extraFacets.theme ?? []).map((f) => [f.value, f.count]));
  return listGroups(themes.map((t) => groupDict(t, counts.get(t.item) ?? 0)), params, 'groups');
}

export async function groupShow(db: Queryable, actor: Actor, params: CkanParams, baseUrl = '') {
  rejectUnknown(params, SHOW_PARAMS);
  const theme = themeBySlug(requiredParam(params, 'id').toLowerCase());
  if (!theme) throw new CkanError(404, 'Not Found Error', 'Group not found');
  return showWithDatasets(db, actor, params, baseUrl, { column: 'theme', values: [theme.item] }, (n) => groupDict(theme, n));
}

export function statusShow(baseUrl: string) {
  return {
    site_title: '一网 政务信息资源目录', site_description: '本平台登记并发布的政务数据资源', site_url: baseUrl, ckan_version: ckanVersion,
    error_emails_to: null, locale_default: 'zh_Hans_CN', extensions: [],
  };
}

interface CkanAction {
  /** What help_show answers: what the action does here and the parameters it takes. */
  help: string;
  run: (db: Queryable, actor: Actor, params: CkanParams, baseUrl: string) => Promise<unknown> | unknown;
}

/** The actions answered under /api/3/action, each for GET and POST. */
export const ckanActions: Record<string, CkanAction> = {
  package_search: { run: packageSearch, help: 'Searches the catalogue. Parameters: q (text, *:* or field:value terms), fq, fq_list, sort, rows (≤ 1000), start, '
    + 'facet, facet.field (JSON list), facet.limit, facet.mincount, include_private, include_drafts, include_deleted.' },
  package_show: { run: packageShow, help: 'One entry by id or name (its code, any case). Parameters: id.' },
  package_list: { run: packageList, help: 'Names of the public, active entries. Parameters: limit, offset.' },
  current_package_list_with_resources: { run: currentPackageListWithResources,
    help: 'Public, active entries with their resources, most recently modified first. Parameters: limit, offset, page.' },
  package_autocomplete: { run: packageAutocomplete, help: 'Public, active entries whose name or title contains q. Parameters: q, limit.' },
  tag_list: { run: tagList, help: 'Tags (field names) of the public, active entries. Parameters: query, all_fields.' },
  organization_list: { run: organizationList, help: 'Providing departments. Parameters: sort (name, title, package_count; asc or desc), limit, offset, all_fields, organizations, q.' },
  organization_show: { run: organizationShow, help: 'One providing department by id or name. Parameters: id, include_datasets.' },
  group_show: { run: groupShow, help: 'One subject by name (its slug). Parameters: id, include_datasets.' },
  group_list: { run: groupList, help: 'Subjects of the classification (the 项 of the entry codes). Parameters: sort, limit, offset, all_fields, groups, q.' },
  status_show: { run: (_db, _actor, _params, baseUrl) => statusShow(baseUrl), help: 'The site and the CKAN version it answers like.' },
  help_show: {
    run: (_db, _actor, params) => {
      const name = requiredParam(params, 'name');
      const action = ckanActions[name];
      if (!action) throw new CkanError(404, 'Not Found Error', `Action function not found: ${name}`);
      return action.help;
    },
    help: 'What an action does and the parameters it takes. Parameters: name.',
  },
};
