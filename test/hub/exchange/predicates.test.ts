// 最小披露: predicates answer true / false / unknown under a grant, never the value, with anti-probing limits.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { resolveApiToken } from '../../../src/kernel/auth/index.ts';
import { withTransaction } from '../../../src/kernel/db/index.ts';
import { askPredicate, evaluatePredicate, issueSystemToken } from '../../../src/hub/index.ts';
import { createSystem } from '../../../src/hub/systems.ts';
import { createTestApp, ledgerCount, type TestApp } from '../../helpers/factories.ts';
import { run, system } from '../factories.ts';
import { adult, makeExchange, minor, otherCounty, residentId, unknownPerson, type Exchange } from './factories.ts';

describe('evaluatePredicate', () => {
  const today = '2026-11-24';
  const cases: [string, string, string | null, Record<string, unknown>[], unknown][] = [
    ['age_at_least', 'birth_date', '18', [{ birth_date: '2008-11-24' }], true],
    ['age_at_least', 'birth_date', '18', [{ birth_date: '2008-11-25' }], false],
    ['age_at_least', 'id_number', '18', [{ id_number: residentId('511602', '20081124') }], true],
    ['age_at_least', 'birth_date', '18', [], 'unknown'],
    ['exists', 'valid_until', null, [{ valid_until: '2027-01-01' }], true],
    ['exists', 'valid_until', null, [{ valid_until: '2026-11-24' }], false],
    ['exists', 'valid_until', null, [], false],
    ['equals_prefix', 'division_code', '511602', [{ division_code: '511602001001' }], true],
    ['equals_prefix', 'division_code', '511602', [{ division_code: '511621100001' }], false],
    ['equals_prefix', 'division_code', '511602', [{ division_code: null }], 'unknown'],
  ];
  for (const [operator, field, param, rows, expected] of cases)
    it(`${operator} ${param ?? ''} over ${JSON.stringify(rows)} → ${String(expected)}`, () =>
      assert.equal(evaluatePredicate({ operator: operator as never, field }, param, rows, today), expected));
});

describe('predicates through the gateway', () => {
  let t: TestApp;
  let x: Exchange;
  before(async () => {
    t = await createTestApp();
    x = await makeExchange(t);
    await t.db.query(`UPDATE hub_exchange_settings SET value = '6' WHERE name = 'askPerSubjectPerDay'`);
  });
  after(() => t.close());

  const define = (cookie: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/hub/predicates', headers: { cookie }, payload });
  const ask = (predicate: string, query: string, token = x.token) =>
    t.app.inject({ url: `/hub/v1/ask/${predicate}?${query}&purpose=${encodeURIComponent('入学资格核验')}&caseId=JY-1`, headers: { authorization: `Bearer ${token}` } });
  const requestPredicate = async (predicate: string) => {
    const req = await t.app.inject({ method: 'POST', url: '/api/v1/hub/requests', headers: { cookie: x.officer },
      payload: { systemId: x.civilSystem.id, resource: x.people.code, predicate, purpose: '资格核验', legalBasis: '《社会救助暂行办法》', scenario: '只需是否' } });
    assert.equal(req.statusCode, 201, req.body);
    const decided = await t.app.inject({ method: 'POST', url: `/api/v1/hub/requests/${req.json().id}/decision`, headers: { cookie: x.providerOfficer }, payload: { approve: true } });
    assert.equal(decided.json().state, 'approved');
  };

  it('lets only the provider define a predicate, over its own fields, with a fixed parameter or an allowed list', async () => {
    const payload = { code: 'age-at-least', name: '年满N周岁', resource: x.people.code, field: 'birth_date', operator: 'age_at_least', allowed: ['16', '18', '60', '65', '70'] };
    assert.equal((await define(x.officer, payload)).statusCode, 403);
    assert.equal((await define(await t.login('civil_data'), payload)).json().code, 'hub.request.not-provider');
    assert.deepEqual((await define(x.providerOfficer, { ...payload, field: 'salary' })).json().field, 'field');
    assert.deepEqual((await define(x.providerOfficer, { ...payload, param: '18' })).json().field, 'param');
    assert.deepEqual((await define(x.providerOfficer, { ...payload, operator: 'exists' })).json().field, 'param');
    const res = await define(x.providerOfficer, payload);
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json().allowed, ['16', '18', '60', '65', '70']);
    assert.equal((await define(x.providerOfficer, payload)).statusCode, 409);
    assert.equal((await define(x.providerOfficer, { code: 'resident-guang-an', name: '广安区户籍', resource: x.people.code, field: 'division_code',
      operator: 'equals_prefix', param: '511602' })).statusCode, 201);
    assert.equal(await ledgerCount(t.db, 'hub.predicate.defined'), 2);
  });

  it('denies by default, then answers true, false or unknown, never the value, evidenced like a read', async () => {
    const denied = await ask('resident-guang-an', `subject=${adult}`);
    assert.deepEqual([denied.statusCode, denied.json().code], [403, 'hub.no-grant']);
    await requestPredicate('resident-guang-an');
    const yes = await ask('resident-guang-an', `subject=${adult}`);
    assert.equal(yes.statusCode, 200);
    assert.equal(yes.json().answer, true);
    assert.ok(Date.parse(yes.json().asOf));
    assert.deepEqual(Object.keys(yes.json()).sort(), ['answer', 'asOf', 'messageId', 'requestHash']);
    assert.equal((await ask('resident-guang-an', `subject=${otherCounty}`)).json().answer, false);
    assert.equal((await ask('resident-guang-an', `subject=${unknownPerson}`)).json().answer, 'unknown');
    const evidence = (await t.db.query('SELECT * FROM hub_evidence WHERE message_id = $1', [yes.json().messageId])).rows[0];
    assert.deepEqual([evidence.subject, evidence.fields, evidence.purpose, evidence.status], [adult, [], '入学资格核验', 200]);
    assert.ok(await ledgerCount(t.db, 'hub.ask.answered') >= 3);
    const bad = await ask('resident-guang-an', 'subject=123');
    assert.deepEqual([bad.statusCode, bad.json().field], [400, 'subject']);
  });

  it('takes parameters from the allowed list only, and refuses the bisection of one subject\'s value', async () => {
    await requestPredicate('age-at-least');
    assert.deepEqual((await ask('age-at-least', `subject=${minor}`)).json().field, 'param');
    assert.deepEqual((await ask('age-at-least', `subject=${minor}&param=17`)).json().code, 'hub.predicate.param-not-allowed');
    assert.equal((await ask('age-at-least', `subject=${adult}&param=18`)).json().answer, true);
    assert.equal((await ask('age-at-least', `subject=${minor}&param=18`)).json().answer, false);
    assert.equal((await ask('age-at-least', `subject=${minor}&param=16`)).json().answer, false);
    assert.equal((await ask('age-at-least', `subject=${minor}&param=60`)).json().answer, false);
    // a repeat of a parameter already asked is fine; a fourth distinct one about the same subject is probing
    assert.equal((await ask('age-at-least', `subject=${minor}&param=18`)).statusCode, 200);
    const probing = await ask('age-at-least', `subject=${minor}&param=65`);
    assert.deepEqual([probing.statusCode, probing.json().code], [403, 'hub.ask.probing']);
    assert.equal(probing.json().answer, undefined);
    const evidence = (await t.db.query(`SELECT code, param FROM hub_evidence WHERE code = 'hub.ask.probing'`)).rows;
    assert.deepEqual(evidence, [{ code: 'hub.ask.probing', param: '65' }]);
  });

  it('limits questions per consumer and subject per day (429), while another consumer may still ask', async () => {
    // six questions a day about one subject: the minor has had four answered; the fifth and sixth pass, the seventh not
    assert.equal((await ask('resident-guang-an', `subject=${minor}`)).statusCode, 200);
    assert.equal((await ask('resident-guang-an', `subject=${minor}`)).statusCode, 200);
    const over = await ask('resident-guang-an', `subject=${minor}`);
    assert.deepEqual([over.statusCode, over.json().code], [429, 'hub.ask.subject-limit']);
    assert.ok(Number(over.headers['retry-after']) > 0);
    const other = await run(t.db, system, createSystem, { code: 'MZ-DB', name: '低保系统', departmentId: x.civil });
    const { token } = await run(t.db, system, issueSystemToken, { systemId: other.id, validDays: 1 });
    assert.equal((await ask('resident-guang-an', `subject=${minor}`, token)).json().code, 'hub.no-grant');
  });

  it('is asked in-process by other modules with the same checks and evidence', async () => {
    const actor = { kind: 'system' as const, id: 'x', name: 'x', roles: [], grants: new Set<string>(), jurisdiction: { root: null, prefix: null, covers: () => false }, departmentId: null };
    await assert.rejects(withTransaction(t.db, (tx) => askPredicate({ tx, actor, now: new Date() },
      { predicate: 'resident-guang-an', subject: adult, purpose: 'p', caseId: 'c' })), (e: { code: string }) => e.code === 'hub.not-a-system');
    const systemCaller = (await resolveApiToken(t.db, x.token))!;
    const answer = await withTransaction(t.db, (tx) => askPredicate({ tx, actor: systemCaller, now: new Date() },
      { predicate: 'resident-guang-an', subject: otherCounty, purpose: '事项条件', caseId: 'SQ-9' }));
    assert.equal(answer.answer, false);
    assert.equal((await t.db.query('SELECT case_id FROM hub_evidence WHERE message_id = $1', [answer.messageId])).rows[0].case_id, 'SQ-9');
  });
});
