// The CKAN Action API as CKAN's own clients use it, over the demo city's catalogue: a harvest the way ckanext-harvest
// runs one (full, then incremental by metadata_modified), calls the way ckanapi makes them (POST, JSON body), the
// Solr subset of fq, facets fed back into fq, the listing actions, include_private and CKAN's error envelope.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Parser } from 'n3';
import { demoPassword } from '../../src/demo.ts';
import { createResource, retireResource, reviewResource, submitResource, updateResource, viewResource } from '../../src/hub/entries.ts';
import { issueApiToken } from '../../src/kernel/auth/index.ts';
import { createTestApp, type TestApp } from '../helpers/factories.ts';
import { run, system } from './factories.ts';

interface Package { name: string; title: string; metadata_modified: string; private: boolean; organization: { name: string }; groups: { name: string }[];
  tags: { name: string }[]; resources: { url: string; format: string }[] }

describe('CKAN clients against the demo catalogue', () => {
  let t: TestApp;
  let staff: string;
  /**
   * A CKAN action as ckanapi calls it: POST to the unversioned /api/action/<name> with a JSON body; or, when `params` is
   * a string, as ckanext-harvest does: GET /api/3/action/<name> with a query string. `auth`: a session cookie, or CKAN's headers.
   */
  const action = async (name: string, params: Record<string, unknown> | string = {}, auth?: string | Record<string, string>) => {
    const headers = { 'user-agent': 'ckanapi/4.7 (+https://github.com/ckan/ckanapi)', ...(typeof auth === 'string' ? { cookie: auth } : auth) };
    const res = typeof params === 'string'
      ? await t.app.inject({ method: 'GET', url: `/api/3/action/${name}?${params}`, headers })
      : await t.app.inject({ method: 'POST', url: `/api/action/${name}`, headers: { ...headers, 'content-type': 'application/json' }, payload: params });
    return { status: res.statusCode, body: res.json() };
  };
  const result = async (name: string, params: Record<string, unknown> | string = {}, auth?: string | Record<string, string>) => {
    const { status, body } = await action(name, params, auth);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.success, true);
    return body.result;
  };
  /** Codes (CKAN names) of published entries open to the public, by SQL beside the API. */
  const publicNames = async (where = 'true', params: unknown[] = []) => (await t.db.query<{ name: string }>(
    `SELECT lower(code) AS name FROM hub_resources r WHERE status = 'published' AND open_type = 'open' AND ${where} ORDER BY 1`, params)).rows.map((r) => r.name);

  /** ckanext-harvest's gather stage: package_search sorted by id, 100 a page, until a page comes back empty. */
  async function harvest(fq: string) {
    const found = new Map<string, Package>();
    for (let start = 0; ; start += 100) {
      const page = await result('package_search', new URLSearchParams({ fq, rows: '100', start: String(start), sort: 'id asc' }).toString());
      if (page.results.length === 0) return found;
      for (const pkg of page.results as Package[]) {
        assert.ok(!found.has(pkg.name), `${pkg.name} on two pages`);
        found.set(pkg.name, pkg);
      }
    }
  }

  before(async () => {
    t = await createTestApp({ demo: true });
    staff = await t.login('data_officer', demoPassword);
  });
  after(() => t.close());

  it('harvests every public entry, then only what changed since, by metadata_modified', async () => {
    // An older catalogue: everything was last modified two days ago.
    await t.db.query(`UPDATE hub_resources SET updated_at = updated_at - interval '2 days'`);
    const expected = await publicNames();
    assert.ok(expected.length >= 50, `${expected.length} public entries`);
    const full = await harvest('');
    assert.deepEqual([...full.keys()].sort(), expected);
    assert.ok([...full.values()].every((p) => !p.private && p.resources[0]!.url.endsWith(`/hub/v1/call/${p.name.toUpperCase()}`)));
    // The harvester stores the packages as search gives them: each is the whole package, as package_show gives it.
    for (const [name, pkg] of full) assert.deepEqual(pkg, await result('package_show', { id: name }), name);
    const lastRun = new Date();

    // Since then: one entry republished with a new title, one new entry published, one retired.
    const [changed, retired] = expected;
    const { rows: [entry] } = await t.db.query<{ code: string }>(`SELECT code FROM hub_resources WHERE lower(code) = $1`, [changed]);
    const { resource } = await viewResource(t.db, system, entry!.code);
    await run(t.db, system, updateResource, { code: resource.code, name: `${resource.name}（2026 年版）`, kind: resource.kind, summary: resource.summary,
      format: resource.format, updateCycle: resource.updateCycle, shareType: resource.shareType, openType: resource.openType,
      ...(resource.subjectKind ? { subjectKind: resource.subjectKind, subjectField: resource.subjectField! } : {}),
      ...(resource.apiUrl ? { apiUrl: resource.apiUrl, apiMapping: resource.apiMapping! } : {}),
      fields: resource.fields.map(({ length, ...f }) => ({ ...f, ...(length === null ? {} : { length }) })) });
    await run(t.db, system, submitResource, { code: resource.code });
    await run(t.db, system, reviewResource, { code: resource.code, approve: true });
    const { rows: [provider] } = await t.db.query<{ id: number }>(`SELECT id FROM departments WHERE code = '511600-SW'`);
    await run(t.db, system, createResource, { code: 'B14-0030-0001-0001', name: '城市供水管网压力监测', summary: '供水管网压力监测点实时数据', kind: 'table',
      format: 'JSON', updateCycle: 'realtime', shareType: 'unconditional', openType: 'open', providerDepartmentId: provider!.id,
      fields: [{ code: 'station', name: '监测点', type: 'string', sensitivity: 'general', level: 'L1', masking: 'none' }] });
    await run(t.db, system, submitResource, { code: 'B14-0030-0001-0001' });
    await run(t.db, system, reviewResource, { code: 'B14-0030-0001-0001', approve: true });
    await run(t.db, system, retireResource, { code: retired!.toUpperCase(), note: '停止更新' });

    // ckanext-harvest asks from an hour before its last run, in CKAN's zoneless UTC with a Z.
    const since = new Date(lastRun.getTime() - 3_600_000).toISOString().replace('Z', '');
    const incremental = await harvest(`metadata_modified:[${since}Z TO *]`);
    assert.deepEqual([...incremental.keys()].sort(), [changed, 'b14-0030-0001-0001'].sort());
    assert.equal(incremental.get(changed!)!.title.endsWith('（2026 年版）'), true);
    assert.ok(Date.parse(`${incremental.get(changed!)!.metadata_modified}Z`) >= lastRun.getTime() - 1000);
    // Merged, the harvester holds every public entry; the retired one is gone from package_list, so it can delete it.
    const merged = new Map([...full, ...incremental]);
    const listed: string[] = await result('package_list');
    for (const name of merged.keys()) if (!listed.includes(name)) merged.delete(name);
    assert.deepEqual([...merged.keys()].sort(), await publicNames());
    assert.deepEqual(listed, await publicNames());
    assert.equal(merged.get(changed!)!.title, incremental.get(changed!)!.title);
  });

  it('answers the Solr subset of fq: organization, groups, tags, res_format, OR, negation, parentheses, ranges', async () => {
    const count = async (fq: string, extra: Record<string, unknown> = {}) => (await result('package_search', { fq, rows: 0, ...extra })).count as number;
    const police = '511600-ga';
    const byProvider = `provider_department_id = (SELECT id FROM departments WHERE lower(code) = $1)`;
    assert.equal(await count(`organization:${police}`), (await publicNames(byProvider, [police])).length);
    assert.equal(await count(`-organization:${police}`), (await publicNames(`NOT ${byProvider}`, [police])).length);
    assert.equal(await count(`organization:${police} OR organization:511600-sj`),
      (await publicNames(`provider_department_id IN (SELECT id FROM departments WHERE lower(code) IN ($1, '511600-sj'))`, [police])).length);
    assert.equal(await count('organization:(511600-ga OR 511600-sj)'), await count(`organization:${police} OR organization:511600-sj`));
    const withLicenceNo = `EXISTS (SELECT 1 FROM hub_resource_fields f WHERE f.resource_id = r.id AND f.name = '许可证号')`;
    assert.equal(await count('tags:许可证号'), (await publicNames(withLicenceNo)).length);
    assert.ok((await count('tags:许可证号')) > 5);
    assert.equal(await count('res_format:CSV AND -groups:health'), (await publicNames(`format = 'CSV' AND substr(code, 2, 2) <> '05'`)).length);
    assert.equal(await count('groups:transport'), (await publicNames(`substr(code, 2, 2) = '10'`)).length);
    assert.equal(await count('(groups:transport OR groups:water) AND NOT res_format:CSV'),
      (await publicNames(`substr(code, 2, 2) IN ('10', '14') AND format <> 'CSV'`)).length);
    assert.equal(await count('metadata_modified:[* TO NOW]'), (await publicNames()).length);
    assert.equal(await count('metadata_modified:["2000-01-01T00:00:00Z" TO NOW]'), (await publicNames()).length, 'quoted range ends');
    // Solr's date math, left to right in UTC: from midnight a week ago to the end of the day before yesterday.
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    const [weekAgo, dayBeforeYesterday] = [new Date(midnight.getTime() - 7 * 86_400_000), new Date(midnight.getTime() - 86_400_001)];
    const lastWeek = await publicNames('updated_at >= $1 AND updated_at <= $2', [weekAgo, dayBeforeYesterday]);
    assert.ok(lastWeek.length > 0 && lastWeek.length < (await publicNames()).length, `${lastWeek.length} modified last week`);
    assert.equal(await count('metadata_modified:[NOW/DAY-7DAYS TO NOW/DAY-1DAY-1MILLI]'), lastWeek.length);
    assert.equal(await count(`metadata_modified:[${weekAgo.toISOString().slice(0, 10)}+0DAYS TO ${dayBeforeYesterday.toISOString()}/DAY+1DAY-1MILLIS]`),
      lastWeek.length, 'date math after a date');
    assert.equal(await count('metadata_modified:[2000-01-01T00\\:00\\:00Z TO *]'), (await publicNames()).length, 'escaped colons');
    assert.equal(await count('tags:("许可证号" OR "no such tag")'), (await publicNames(withLicenceNo)).length, 'quoted values in a list');
    assert.equal(await count('organization:( "511600-ga" )'), (await publicNames(byProvider, [police])).length);
    assert.equal(await count('metadata_modified:[NOW-1DAY TO *]'), (await publicNames(`updated_at > now() - interval '1 day'`)).length);
    assert.equal(await count('share_type:unconditional', { fq_list: ['license_id:cc-by', 'type:dataset'] }), (await publicNames(`share_type = 'unconditional'`)).length);
    // A fielded q is an fq too; text is searched.
    assert.equal((await result('package_search', { q: `organization:${police}`, rows: 0 })).count, await count(`organization:${police}`));
    assert.ok((await result('package_search', { q: '许可', rows: 0 })).count > 0);
  });

  it('counts the facets asked for, with organization names that can be fed back into fq', async () => {
    const search = await result('package_search', { q: '*:*', rows: 1, 'facet.field': ['organization', 'groups', 'tags', 'res_format', 'license_id'], 'facet.limit': -1 });
    const organizations = search.search_facets.organization.items as { name: string; count: number }[];
    assert.ok(organizations.length >= 10, `${organizations.length} organizations`);
    for (const { name, count } of organizations.slice(0, 5))
      assert.equal((await result('package_search', { fq: `organization:${name}`, rows: 0 })).count, count, name);
    assert.equal(search.facets.license_id['cc-by'], search.count);
    for (const { name, count } of (search.search_facets.groups.items as { name: string; count: number }[]).slice(0, 3))
      assert.equal((await result('package_search', { fq: `groups:${name}`, rows: 0 })).count, count, name);
    const tag = (search.search_facets.tags.items as { name: string; count: number }[])[0]!;
    assert.equal((await result('package_search', { fq: `tags:"${tag.name}"`, rows: 0 })).count, tag.count);
    assert.deepEqual(Object.keys((await result('package_search', new URLSearchParams({ rows: '0', 'facet.field': '["res_format"]', 'facet.limit': '2' }).toString())).facets.res_format).length, 2);
    assert.deepEqual((await result('package_search', { rows: 0 })).search_facets, {}, 'no facets unless asked');
  });

  it('sorts and pages as asked', async () => {
    const names = async (sort: string) => ((await result('package_search', { sort, rows: 1000 })).results as Package[]).map((p) => p.name);
    const byId = await names('id asc');
    assert.deepEqual(byId, [...byId].sort());
    assert.deepEqual(await names('name desc'), [...byId].reverse());
    const byModified = (await result('package_search', { sort: 'metadata_modified desc', rows: 1000 })).results as Package[];
    assert.ok(byModified.every((p, i) => i === 0 || byModified[i - 1]!.metadata_modified >= p.metadata_modified));
    const pages = [...(await result('current_package_list_with_resources', { limit: 20 })), ...(await result('current_package_list_with_resources', 'limit=20&page=2'))];
    assert.deepEqual(pages.map((p: Package) => p.name), byModified.slice(0, 40).map((p) => p.name));
  });

  it('shows private entries only when asked and allowed', async () => {
    const open = (await result('package_search', { rows: 0 }, staff)).count;
    const withPrivate = (await result('package_search', { rows: 0, include_private: true }, staff)).count;
    const { rows: [published] } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM hub_resources WHERE status = 'published'`);
    assert.equal(withPrivate, published!.n, 'a hub administrator sees every published entry');
    assert.equal(open, (await publicNames()).length);
    assert.equal((await result('package_search', { rows: 0, include_private: 'true' })).count, open, 'anonymous: public entries only');
    const drafts = (await result('package_search', { rows: 0, include_private: true, include_drafts: true, 'facet.field': ['state'] }, staff));
    assert.ok(drafts.facets.state.draft > 0);
    // ckanapi's apikey: the bare token in Authorization (and X-CKAN-API-Key), as CKAN reads it.
    const { rows: [officer] } = await t.db.query<{ departmentId: number }>(`SELECT department_id::int AS "departmentId" FROM users WHERE username = 'data_officer'`);
    const { token } = await run(t.db, system, issueApiToken, { name: 'ckanapi', roles: ['data_officer'], divisionCode: '511600000000',
      departmentId: officer!.departmentId, validDays: 1 });
    assert.equal((await result('package_search', { rows: 0, include_private: true }, { authorization: token })).count, withPrivate);
    assert.equal((await result('package_search', { rows: 0, include_private: true }, { 'x-ckan-api-key': token })).count, withPrivate);
    assert.equal((await result('package_search', { rows: 0 }, { authorization: token })).count, open, 'private ones only when asked');
    assert.equal((await result('package_search', { rows: 0, include_private: true }, { authorization: 'not-a-token' })).count, open);
    const closed = (await t.db.query<{ code: string }>(`SELECT lower(code) AS code FROM hub_resources WHERE open_type = 'closed' AND status = 'published' LIMIT 1`)).rows[0]!.code;
    assert.equal((await action('package_show', { id: closed })).status, 404);
    assert.equal((await result('package_show', { id: closed }, staff)).private, true);
    assert.equal((await result('package_show', { id: closed }, { authorization: token })).private, true);
  });

  it('answers the other actions ckanapi and harvesters call', async () => {
    const orgs = await result('organization_list', { all_fields: true, sort: 'package_count desc', limit: 5 });
    assert.equal(orgs.length, 5);
    assert.ok(orgs.every((o: { package_count: number }, i: number) => i === 0 || orgs[i - 1].package_count >= o.package_count));
    const names: string[] = await result('organization_list', 'sort=name asc');
    assert.deepEqual(names, [...names].sort());
    assert.deepEqual(await result('organization_list', { sort: 'name asc', offset: 2, limit: 3 }), names.slice(2, 5));
    const org = await result('organization_show', { id: orgs[0].name, include_datasets: true });
    assert.deepEqual([org.name, org.package_count, org.packages.length], [orgs[0].name, orgs[0].package_count, orgs[0].package_count]);
    assert.equal((await action('organization_show', { id: 'no-such-org' })).status, 404);
    assert.equal((await action('organization_show', { id: '99999999999999999999' })).status, 404);
    const byId = await result('organization_show', { id: (await result('package_search', { fq: `organization:${org.name}`, rows: 1 })).results[0].owner_org });
    assert.equal(byId.name, org.name, 'by the id a package gives as owner_org');

    const groups = await result('group_list', { all_fields: true, sort: 'name asc' });
    assert.ok(groups.length >= 15);
    const transport = groups.find((g: { name: string }) => g.name === 'transport');
    assert.equal(transport.package_count, (await result('package_search', { fq: 'groups:transport', rows: 0 })).count);
    // ckanapi's `dump groups --all`: group_list, then group_show for each.
    const shown = await result('group_show', { id: 'transport', include_datasets: true });
    assert.deepEqual([shown.name, shown.title, shown.package_count, shown.packages.length], ['transport', transport.title, transport.package_count,
      transport.package_count]);
    assert.ok(shown.packages.every((p: Package) => p.groups[0]!.name === 'transport'));
    assert.equal((await result('group_show', { id: 'transport', include_datasets: false })).packages, undefined);
    assert.equal((await action('group_show', { id: 'no-such-group' })).status, 404);

    const tags: string[] = await result('tag_list', { query: '许可' });
    assert.ok(tags.includes('许可证号') && tags.every((x) => x.includes('许可')));
    const suggestions = await result('package_autocomplete', { q: '公交', limit: 5 });
    assert.ok(suggestions.length > 0 && suggestions.every((s: { title: string; match_field: string }) => s.title.includes('公交') && s.match_field === 'title'));
    const status = await result('status_show');
    assert.equal(status.ckan_version, '2.10.4');
    assert.match(await result('help_show', { name: 'package_search' }), /fq/);
    // A form post, as older clients send.
    const form = await t.app.inject({ method: 'POST', url: '/api/3/action/package_show', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `id=${suggestions[0].name}` });
    assert.equal(form.json().result.name, suggestions[0].name);
  });

  it('answers what it does not support with CKAN\'s error envelope', async () => {
    const cases: [string, Record<string, unknown> | string, number, string, string][] = [
      ['package_search', { fq: 'title:供水~2' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'salary:1' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'tags:许可*' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'organization:511600-ga AND (groups:transport' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[yesterday TO *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[NOW TO *' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[2026-02-30 TO *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[2026-05-01T24:00:00Z TO *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[NOW-1FORTNIGHT TO *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[NOW-DAY TO *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'metadata_modified:[NOW *]' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'tags:("许可证号 OR x)' }, 409, 'Validation Error', 'fq'],
      ['package_search', { fq: 'tags:(a AND b)' }, 409, 'Validation Error', 'fq'],
      ['package_search', { sort: 'views_recent desc' }, 409, 'Validation Error', 'sort'],
      ['package_search', 'rows=many', 409, 'Validation Error', 'rows'],
      ['package_search', { 'facet.field': ['maintainer'] }, 409, 'Validation Error', 'facet.field'],
      ['package_search', { defType: 'edismax' }, 409, 'Validation Error', 'defType'],
      ['package_show', {}, 409, 'Validation Error', 'id'],
      ['package_show', { id: 'nope' }, 404, 'Not Found Error', ''],
      ['package_create', { name: 'x' }, 400, 'Bad Request', ''],
      ['package_create', 'name=x', 400, 'Bad Request', ''],
    ];
    for (const [name, params, status, type, field] of cases) {
      const res = await action(name, params);
      assert.equal(res.status, status, `${name} ${JSON.stringify(params)}: ${JSON.stringify(res.body)}`);
      assert.deepEqual([res.body.success, res.body.error.__type], [false, type]);
      assert.equal(res.body.help, `/api/3/action/help_show?name=${name}`);
      if (field) assert.ok(Array.isArray(res.body.error[field]), `${name}: error names ${field}`);
    }
  });

  it('exports the same public entries as DCAT-AP in Turtle', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/hub/catalogue', headers: { accept: 'text/turtle' } });
    assert.match(String(res.headers['content-type']), /^text\/turtle/);
    const quads = new Parser().parse(res.body);
    const datasets = quads.filter((q) => q.predicate.value.endsWith('22-rdf-syntax-ns#type') && q.object.value === 'http://www.w3.org/ns/dcat#Dataset');
    assert.deepEqual(datasets.map((q) => q.subject.value.split('/').pop()!.toLowerCase()).sort(), await publicNames());
  });
});
