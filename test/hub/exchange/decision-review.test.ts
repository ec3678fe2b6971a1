// 审批 that serves the purpose: masking that defeats it is said (and confirmed) before approval; a fitting predicate is offered instead of the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { definePredicate } from '../../../src/hub/exchange/predicates.ts';
import { createTestApp, ledgerCount, type TestApp } from '../../helpers/factories.ts';
import { run, system } from '../factories.ts';
import { adult, makeExchange, minor, type Exchange } from './factories.ts';

describe('reviewing an approval against the purpose', () => {
  let t: TestApp;
  let x: Exchange;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    await run(t.db, system, definePredicate, { code: 'age-over-18', name: '年满18周岁', resource: x.people.code, field: 'birth_date', operator: 'age_at_least', param: '18' });
  });
  after(() => t.close());

  const as = (cookie: string, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const askAge = async () => {
    const res = await as(x.officer, 'POST', '/api/v1/hub/requests', { systemId: x.civilSystem.id, resource: x.people.code, fields: ['name', 'birth_date'],
      purpose: '核验申请人年龄', legalBasis: '《社会救助暂行办法》第十一条', scenario: '受理时核对申请人是否成年' });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as number;
  };

  it('shows the approver what partial masking of the birth date leaves, and offers 年满18周岁 instead', async () => {
    const id = await askAge();
    const review = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/review`, { masking: { birth_date: 'partial' } });
    assert.equal(review.statusCode, 200, review.body);
    assert.deepEqual(review.json(), {
      needs: ['age'],
      warnings: [{ field: 'birth_date', rule: 'partial', reason: 'defeats-purpose', need: 'age', example: { value: '1994-05-12', masked: '1994-**-**' } }],
      predicates: [{ code: 'age-over-18', name: '年满18周岁', description: '', field: 'birth_date' }],
    });
    const unmasked = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/review`, {});
    assert.deepEqual(unmasked.json().warnings, [], 'the catalogue leaves the birth date unmasked');
    assert.equal((await as(x.officer, 'POST', `/api/v1/hub/requests/${id}/review`, {})).statusCode, 403, 'the requester does not review');
    assert.equal((await as(await t.login('civil_data'), 'POST', `/api/v1/hub/requests/${id}/review`, {})).json().code, 'hub.request.not-provider');
  });

  it('refuses an approval whose masking defeats the purpose until the approver confirms it', async () => {
    const id = await askAge();
    const refused = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/decision`, { approve: true, masking: { birth_date: 'partial' } });
    assert.deepEqual([refused.statusCode, refused.json().code, refused.json().field, refused.json().value, refused.json().example.masked],
      [409, 'hub.masking.defeats-purpose', 'masking', 'birth_date', '1994-**-**']);
    assert.equal((await t.db.query(`SELECT state FROM hub_requests WHERE id = $1`, [id])).rows[0]!.state, 'pending');
    const confirmed = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/decision`, { approve: true, masking: { birth_date: 'partial' }, acceptWarnings: true });
    assert.equal(confirmed.statusCode, 200, confirmed.body);
    assert.deepEqual(confirmed.json().grant.masking, { birth_date: 'partial' });
    const { rows } = await t.db.query(`SELECT 1 FROM ledger_queue WHERE action = 'hub.request.approved' AND object_id = $1`, [String(id)]);
    assert.equal(rows.length, 1, 'one approval on the ledger, none for the refused attempt');
  });

  it('approves with the predicate instead of the fields: the grant is the predicate\'s and the system asks 年满18周岁', async () => {
    const id = await askAge();
    const unknown = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/decision`, { approve: true, predicate: 'no-such-thing' });
    assert.deepEqual([unknown.statusCode, unknown.json().field], [404, 'predicate']);
    const approved = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/decision`, { approve: true, predicate: 'age-over-18', dailyQuota: 50 });
    assert.equal(approved.statusCode, 200, approved.body);
    const grant = approved.json().grant;
    assert.deepEqual([grant.fields, grant.masking, grant.dailyQuota], [['birth_date'], {}, 50]);
    assert.equal((await t.db.query<{ code: string }>('SELECT p.code FROM hub_grants g JOIN hub_predicates p ON p.id = g.predicate_id WHERE g.id = $1', [grant.id])).rows[0]!.code,
      'age-over-18');
    const ask = (subject: string) => t.app.inject({ url: `/hub/v1/ask/age-over-18?subject=${subject}&purpose=${encodeURIComponent('核验申请人年龄')}&caseId=MZ-1`,
      headers: { authorization: `Bearer ${x.token}` } });
    assert.deepEqual([(await ask(adult)).json().answer, (await ask(minor)).json().answer], [true, false]);
    assert.ok(await ledgerCount(t.db, 'hub.grant.issued') >= 2);
  });

  it('a request for the predicate itself gets no warning and no offer, whatever its purpose says', async () => {
    const res = await as(x.officer, 'POST', '/api/v1/hub/requests', { systemId: x.civilSystem.id, resource: x.people.code, predicate: 'age-over-18',
      purpose: '核验申请人年龄', legalBasis: '《社会救助暂行办法》第十一条', scenario: '只需是否成年' });
    const id = res.json().id as number;
    const review = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/review`, { masking: { birth_date: 'partial' } });
    assert.deepEqual(review.json(), { needs: ['age'], warnings: [], predicates: [] });
    const approved = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${id}/decision`, { approve: true });
    assert.equal(approved.statusCode, 200, approved.body);
    const again = await as(x.providerOfficer, 'POST', `/api/v1/hub/requests/${(await askAge())}/decision`, { approve: true, predicate: 'age-over-18', fields: ['name'] });
    assert.deepEqual(again.json().grant.fields, ['birth_date'], 'the predicate\'s field, whatever fields were sent');
  });
});

describe('the grants lists of a hub administrator', () => {
  let t: TestApp;
  let x: Exchange;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
  });
  after(() => t.close());

  it('shows their own department\'s grants by default, every department\'s on asking, each marked ours or not', async () => {
    const submitted = await t.app.inject({ method: 'POST', url: '/api/v1/hub/requests', headers: { cookie: x.officer },
      payload: { systemId: x.civilSystem.id, resource: x.people.code, fields: ['name'], purpose: '低保资格审核', legalBasis: '《社会救助暂行办法》', scenario: '核对' } });
    await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${submitted.json().id}/decision`, headers: { cookie: x.providerOfficer }, payload: { approve: true } });
    const hub = await t.login('hub_admin');
    const list = async (cookie: string, query: string) => (await t.app.inject({ url: `/api/v1/hub/grants?${query}`, headers: { cookie } })).json().items as
      { consumerDepartmentName: string; ours: boolean }[];
    assert.deepEqual(await list(hub, 'side=consumer'), [], 'the data bureau holds no grant');
    const all = await list(hub, 'side=consumer&departments=all');
    assert.deepEqual(all.map((g) => [g.consumerDepartmentName, g.ours]), [['市民政局', false]]);
    assert.deepEqual((await list(x.officer, 'side=consumer&departments=all')).map((g) => g.ours), [true], 'others see their own, whatever they ask');
    assert.deepEqual((await list(x.providerOfficer, 'side=provider')).map((g) => g.ours), [true]);
  });
});
