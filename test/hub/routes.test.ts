import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { createTestApp, ledgerCount, type TestApp } from '../helpers/factories.ts';
import { makeHubCast, personEntry } from './factories.ts';

const rid = (first17: string) => first17 + residentIdCheckChar(first17);

describe('data hub catalogue over HTTP', () => {
  let t: TestApp;
  let cast: Awaited<ReturnType<typeof makeHubCast>>;
  const cookies: Record<string, string> = {};
  const call = (who: string | null, method: string, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: method as 'GET', url, payload: payload as string, headers: { ...(who ? { cookie: cookies[who]! } : {}), ...headers } });
  const entry = () => { const { providerDepartmentId: _p, ...rest } = personEntry(0); return rest; };

  before(async () => {
    t = await createTestApp();
    cast = await makeHubCast(t.db);
    for (const who of ['admin', 'hub_admin', 'police_data', 'civil_data', 'civil_officer']) cookies[who] = await t.login(who);
  });
  after(() => t.close());

  it('offers catalogue review (a capability in /auth/me) only to hub administrators', async () => {
    const capabilities = async (who: string) => (await call(who, 'GET', '/api/v1/auth/me')).json().user.capabilities as string[];
    assert.equal((await capabilities('hub_admin')).includes('hub.resource.review'), true);
    const provider = await capabilities('police_data');
    assert.deepEqual([provider.includes('hub.resource.review'), provider.includes('hub.resource.register')], [false, true]);
  });

  it('registers an entry: 401 without login, 400 naming the field, 403 for another department, 201 for the provider', async () => {
    assert.equal((await call(null, 'POST', '/api/v1/hub/resources', entry())).statusCode, 401);
    const badCode = await call('police_data', 'POST', '/api/v1/hub/resources', { ...entry(), code: 'Z01-0001-0001-0001' });
    assert.equal(badCode.statusCode, 400);
    assert.equal(badCode.json().field, 'code');
    assert.equal(badCode.headers['content-type'], 'application/problem+json; charset=utf-8');
    const badField = await call('police_data', 'POST', '/api/v1/hub/resources', { ...entry(), fields: [{ ...entry().fields[0], type: 'blob' }] });
    assert.equal(badField.json().field, 'fields.0.type');
    const level = await call('police_data', 'POST', '/api/v1/hub/resources', { ...entry(), fields: [{ ...entry().fields[0], sensitivity: 'core' }] },
      { 'accept-language': 'zh-CN' });
    assert.deepEqual([level.json().field, level.json().title], ['fields.0.level', '敏感级别与分级不一致']);
    const foreign = await call('civil_data', 'POST', '/api/v1/hub/resources', { ...entry(), providerDepartmentId: cast.police });
    assert.equal(foreign.statusCode, 403);
    const created = await call('police_data', 'POST', '/api/v1/hub/resources', entry());
    assert.equal(created.statusCode, 201, created.body);
    assert.deepEqual([created.json().status, created.json().providerName, created.json().topSensitivity], ['draft', '市公安局', 'important']);
    assert.equal(created.json().abilities.submit, true);
    assert.equal((await call('police_data', 'POST', '/api/v1/hub/resources', entry())).statusCode, 409);
  });

  it('hides a draft from other departments and lists it for its provider', async () => {
    assert.equal((await call('civil_officer', 'GET', '/api/v1/hub/resources/A01-0001-0001-0001')).statusCode, 404);
    assert.equal((await call('civil_officer', 'GET', '/api/v1/hub/resources?q=人口')).json().total, 0);
    assert.equal((await call('police_data', 'GET', '/api/v1/hub/resources?q=人口')).json().total, 1);
  });

  it('imports a CSV with a bad row over HTTP and reports it', async () => {
    const csv = `公民身份号码,姓名,出生日期\n${rid('51160219900101123')},张三,1990-01-01\n${rid('51160219900101124')},李四,1990-13-01\n`;
    const res = await call('police_data', 'POST', '/api/v1/hub/resources/A01-0001-0001-0001/import', csv, { 'content-type': 'text/csv' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().loaded, res.json().failed, res.json().errors[0].row, res.json().errors[0].field], [1, 1, 3, 'birth_date']);
    assert.equal((await call('civil_data', 'POST', '/api/v1/hub/resources/A01-0001-0001-0001/import', csv, { 'content-type': 'text/csv' })).statusCode, 403);
    const loads = await call('police_data', 'GET', '/api/v1/hub/resources/A01-0001-0001-0001/imports');
    assert.equal(loads.json().items[0].errors[0].code, 'type');
    const nul = await call('police_data', 'POST', '/api/v1/hub/resources/A01-0001-0001-0001/import', csv.replace('张三', '张\u0000三'), { 'content-type': 'text/csv' });
    assert.deepEqual([nul.statusCode, nul.json().code, nul.json().field], [400, 'invalid-text', 'file']);
    assert.equal((await call('police_data', 'GET', '/api/v1/hub/resources/A01-0001-0001-0001/imports')).json().items.length, 1, 'nothing recorded');
  });

  it('reviews: only hub administrators, a rejection needs a reason, approval publishes version 1', async () => {
    const url = '/api/v1/hub/resources/A01-0001-0001-0001';
    assert.equal((await call('hub_admin', 'POST', `${url}/review`, { approve: true })).statusCode, 409, 'not in review yet');
    assert.equal((await call('police_data', 'POST', `${url}/submit`)).json().status, 'review');
    assert.equal((await call('police_data', 'POST', `${url}/review`, { approve: true })).statusCode, 403);
    assert.equal((await call('civil_data', 'POST', `${url}/review`, { approve: true })).statusCode, 403);
    const noReason = await call('hub_admin', 'POST', `${url}/review`, { approve: false });
    assert.deepEqual([noReason.statusCode, noReason.json().field], [400, 'note']);
    const back = await call('hub_admin', 'POST', `${url}/review`, { approve: false, note: '摘要请写明数据范围' });
    assert.deepEqual([back.json().status, back.json().reviewNote], ['draft', '摘要请写明数据范围']);
    await call('police_data', 'PUT', url, { ...entry(), code: undefined, summary: '全市户籍人口（广安市）的基本信息' });
    await call('police_data', 'POST', `${url}/submit`);
    const published = await call('hub_admin', 'POST', `${url}/review`, { approve: true });
    assert.deepEqual([published.json().status, published.json().publishedVersion], ['published', 1]);
    assert.equal(await ledgerCount(t.db, 'hub.resource.published'), 1);
    assert.equal(await ledgerCount(t.db, 'hub.resource.rejected'), 1);
  });

  it('lets another department find the published entry by a Chinese word, with facets, fields and grades', async () => {
    const found = await call('civil_officer', 'GET', `/api/v1/hub/resources?q=${encodeURIComponent('户籍人口')}`);
    assert.equal(found.json().total, 1);
    assert.equal(found.json().items[0].code, 'A01-0001-0001-0001');
    assert.deepEqual(found.json().facets.shareType, [{ value: 'conditional', count: 1 }]);
    assert.deepEqual(found.json().facets.provider, [{ value: String(cast.police), label: '市公安局', count: 1 }]);
    assert.equal((await call('civil_officer', 'GET', `/api/v1/hub/resources?q=${encodeURIComponent('出生日期')}`)).json().total, 1, 'field names are searched');
    assert.equal((await call('civil_officer', 'GET', `/api/v1/hub/resources?q=${encodeURIComponent('企业')}`)).json().total, 0);
    assert.equal((await call('civil_officer', 'GET', `/api/v1/hub/resources?q=${encodeURIComponent("人口' & !")}`)).statusCode, 200);
    const detail = (await call('civil_officer', 'GET', '/api/v1/hub/resources/A01-0001-0001-0001')).json();
    assert.deepEqual(detail.fields.map((f: { code: string; sensitivity: string; level: string; masking: string }) => [f.code, f.sensitivity, f.level, f.masking])[0],
      ['id_number', 'important', 'L3', 'partial']);
    assert.deepEqual([detail.abilities.edit, detail.abilities.object], [false, true]);
    assert.equal((await call(null, 'GET', '/api/v1/hub/resources/A01-0001-0001-0001')).statusCode, 404, 'closed to the public');
  });

  it('editing a published entry starts version 2 and keeps version 1 readable', async () => {
    const url = '/api/v1/hub/resources/A01-0001-0001-0001';
    const edited = await call('police_data', 'PUT', url, { ...entry(), code: undefined, name: '人口基本信息（含曾用名）' });
    assert.deepEqual([edited.json().status, edited.json().version, edited.json().publishedVersion], ['draft', 2, 1]);
    const versions = (await call('civil_officer', 'GET', `${url}/versions`)).json().items;
    assert.deepEqual(versions.map((v: { version: number }) => v.version), [1]);
    assert.equal((await call('civil_officer', 'GET', `${url}/versions/1`)).json().name, '人口基本信息');
    assert.equal((await call('civil_officer', 'GET', `${url}/versions/2`)).statusCode, 404);
  });

  it('searches and counts facets by the published version while the next one is a draft', async () => {
    const url = '/api/v1/hub/resources/A01-0001-0001-0001';
    await call('police_data', 'PUT', url, { ...entry(), code: undefined, name: '人口基本信息（含曾用名）', shareType: 'unconditional' });
    const search = (who: string, q: string) => call(who, 'GET', `/api/v1/hub/resources?${q}`).then((r) => r.json());
    assert.equal((await search('civil_officer', `q=${encodeURIComponent('曾用名')}`)).total, 0, 'the draft\'s words are not searched');
    assert.equal((await search('civil_officer', 'shareType=unconditional')).total, 0, 'the draft\'s share type is not filtered on');
    const published = await search('civil_officer', `q=${encodeURIComponent('人口')}`);
    assert.deepEqual([published.total, published.items[0].name, published.items[0].shareType], [1, '人口基本信息', 'conditional']);
    assert.deepEqual([published.facets.shareType, published.facets.status],
      [[{ value: 'conditional', count: 1 }], [{ value: 'published', count: 1 }]]);
    assert.equal((await call('civil_officer', 'GET', '/api/3/action/package_search?fq=share_type:unconditional&include_private=true')).json().result.count, 0);
    const own = await search('police_data', `q=${encodeURIComponent('曾用名')}`);
    assert.deepEqual([own.total, own.facets.shareType, own.facets.status], [1, [{ value: 'unconditional', count: 1 }], [{ value: 'draft', count: 1 }]],
      'the provider searches its working copy');
  });

  it('speaks CKAN: package_search, package_show, organization_list and its error envelope', async () => {
    assert.equal((await call('civil_officer', 'GET', `/api/3/action/package_search?q=${encodeURIComponent('人口')}`)).json().result.count, 0,
      'a private (closed) entry only with include_private');
    const search = (await call('civil_officer', 'GET', `/api/3/action/package_search?q=${encodeURIComponent('人口')}&rows=5&include_private=true`)).json();
    assert.equal(search.success, true);
    assert.match(search.help, /package_search/);
    assert.equal(search.result.count, 1);
    const pkg = search.result.results[0];
    assert.deepEqual([pkg.name, pkg.title, pkg.organization.title], ['a01-0001-0001-0001', '人口基本信息', '市公安局']);
    assert.ok(pkg.extras.some((e: { key: string; value: string }) => e.key === 'share_type' && e.value === 'conditional'));
    const org = pkg.organization.name;
    assert.equal((await call('civil_officer', 'GET', `/api/3/action/package_search?fq=organization:${org}&include_private=true`)).json().result.count, 1);
    assert.equal((await call('civil_officer', 'GET', '/api/3/action/package_search?fq=share_type:none&include_private=true')).json().result.count, 0);
    const badFq = await call('civil_officer', 'GET', '/api/3/action/package_search?fq=salary:1');
    assert.deepEqual([badFq.statusCode, badFq.json().success, badFq.json().error.__type], [409, false, 'Validation Error']);
    const show = (await call('civil_officer', 'GET', '/api/3/action/package_show?id=a01-0001-0001-0001')).json();
    assert.equal(show.result.resources[0].fields.length, 5);
    const missing = await call('civil_officer', 'GET', '/api/3/action/package_show?id=nope');
    assert.deepEqual([missing.statusCode, missing.json().error.__type], [404, 'Not Found Error']);
    assert.deepEqual((await call('civil_officer', 'GET', '/api/3/action/organization_list')).json().result, [org]);
    assert.equal((await call(null, 'GET', '/api/3/action/package_search')).json().result.count, 0, 'anonymous sees open entries only');
  });

  it('exports DCAT-AP JSON-LD', async () => {
    const res = await call('civil_officer', 'GET', '/api/v1/hub/catalogue.jsonld');
    assert.match(String(res.headers['content-type']), /application\/ld\+json/);
    const doc = res.json();
    assert.equal(doc['@type'], 'dcat:Catalog');
    const dataset = doc['dcat:dataset'][0];
    assert.deepEqual([dataset['@type'], dataset['dct:identifier'], dataset['dct:publisher']['foaf:name']], ['dcat:Dataset', 'A01-0001-0001-0001', '市公安局']);
    assert.equal(dataset['dct:accessRights']['@id'], 'http://publications.europa.eu/resource/authority/access-right/RESTRICTED');
    assert.equal(dataset['dct:accrualPeriodicity']['@id'], 'http://publications.europa.eu/resource/authority/frequency/DAILY');
    assert.equal(dataset['dcat:distribution'][0]['@type'], 'dcat:Distribution');
  });

  it('handles an objection: raised by a consumer with a working-day deadline, answered by the provider', async () => {
    const key = rid('51160219900101123');
    const own = await call('police_data', 'POST', '/api/v1/hub/objections', { code: 'A01-0001-0001-0001', rowKey: key, fieldCode: 'name', description: 'x' });
    assert.equal(own.json().code, 'hub.own-resource');
    const unknownRow = await call('civil_data', 'POST', '/api/v1/hub/objections', { code: 'A01-0001-0001-0001', rowKey: 'nope', fieldCode: 'name', description: 'x' });
    assert.deepEqual([unknownRow.statusCode, unknownRow.json().field], [400, 'rowKey']);
    const raised = await call('civil_officer', 'POST', '/api/v1/hub/objections',
      { code: 'A01-0001-0001-0001', rowKey: key, fieldCode: 'name', description: '姓名应为张叁' });
    assert.equal(raised.statusCode, 201, raised.body);
    const objection = raised.json();
    assert.equal(objection.state, 'open');
    assert.ok(new Date(objection.dueAt).getTime() - Date.now() >= 5 * 86_400_000, 'five working days are at least five days');
    const toAnswer = (await call('police_data', 'GET', '/api/v1/hub/objections?side=to-answer')).json().items;
    assert.deepEqual(toAnswer.map((o: { id: number }) => o.id), [objection.id]);
    assert.deepEqual((await call('civil_data', 'GET', '/api/v1/hub/objections?side=to-answer')).json().items, []);
    assert.equal((await call('civil_data', 'POST', `/api/v1/hub/objections/${objection.id}/answer`, { outcome: 'corrected' })).statusCode, 403);
    assert.equal((await call('police_data', 'POST', `/api/v1/hub/objections/${objection.id}/answer`, { outcome: 'rejected' })).json().field, 'answer');
    await t.db.query(`UPDATE hub_objections SET due_at = now() - interval '1 day' WHERE id = $1`, [objection.id]);
    assert.equal((await call('civil_officer', 'GET', '/api/v1/hub/objections?side=raised')).json().items[0].overdue, true);
    const answered = await call('police_data', 'POST', `/api/v1/hub/objections/${objection.id}/answer`, { outcome: 'corrected', answer: '已更正' });
    assert.deepEqual([answered.json().state, answered.json().overdue], ['corrected', false]);
    assert.equal(await ledgerCount(t.db, 'hub.objection.raised'), 1);
    assert.equal(await ledgerCount(t.db, 'hub.objection.answered'), 1);
  });

  it('lets the provider\'s own system push rows with its token, and refuses another department\'s system', async () => {
    const own = await call('police_data', 'POST', '/api/v1/hub/systems', { code: 'GA-RKK', name: '人口库' });
    assert.equal(own.statusCode, 201, own.body);
    assert.equal((await call('police_data', 'POST', '/api/v1/hub/systems', { code: 'MZ-X', name: '他人系统', departmentId: cast.civil })).statusCode, 403);
    const other = await call('civil_data', 'POST', '/api/v1/hub/systems', { code: 'MZ-HY', name: '婚姻登记系统' });
    const tokenOf = async (who: string, id: number) => (await call(who, 'POST', `/api/v1/hub/systems/${id}/tokens`, { validDays: 30 })).json().token as string;
    const ownToken = await tokenOf('police_data', own.json().id);
    const otherToken = await tokenOf('civil_data', other.json().id);
    const push = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/hub/resources/A01-0001-0001-0001/rows',
      headers: { authorization: `Bearer ${token}` }, payload: { rows: [{ id_number: rid('51160219950505123'), name: '赵七' }] } });
    assert.equal((await push(otherToken)).statusCode, 403);
    const pushed = await push(ownToken);
    assert.deepEqual([pushed.statusCode, pushed.json().loaded], [200, 1]);
    assert.deepEqual((await call('police_data', 'GET', '/api/v1/hub/systems')).json().items.map((x: { code: string }) => x.code), ['GA-RKK']);
  });
});

describe('catalogue review has four eyes', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const call = (who: string, method: 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });
  before(async () => {
    t = await createTestApp();
    const cast = await makeHubCast(t.db);
    for (const who of ['admin', 'hub_admin', 'police_data']) cookies[who] = await t.login(who);
    const created = await call('police_data', 'POST', '/api/v1/hub/resources', personEntry(cast.police));
    assert.equal(created.statusCode, 201, created.body);
  });
  after(() => t.close());

  it('a hub administrator who edited and submitted another department\'s entry (unmasking its ID numbers) cannot publish it', async () => {
    const url = '/api/v1/hub/resources/A01-0001-0001-0001';
    const { providerDepartmentId: _p, code: _c, ...fields } = personEntry(0);
    const unmasked = { ...fields, fields: fields.fields.map((f) => ({ ...f, masking: 'none' })) };
    assert.equal((await call('hub_admin', 'PUT', url, unmasked)).statusCode, 200);
    assert.equal((await call('hub_admin', 'POST', `${url}/submit`)).json().status, 'review');
    const own = await call('hub_admin', 'POST', `${url}/review`, { approve: true });
    assert.deepEqual([own.statusCode, own.json().code], [403, 'hub.review.own']);
    assert.equal(await ledgerCount(t.db, 'hub.resource.published'), 0);
    const other = await call('admin', 'POST', `${url}/review`, { approve: false, note: '脱敏规则应由公安局确定' });
    assert.deepEqual([other.statusCode, other.json().status], [200, 'draft']);
  });
});
