import { test } from 'node:test';
import assert from 'node:assert/strict';
import { intakeTicket, learnFromCorrections, retrainClassifier, suggestClassification } from '../../src/hotline/index.ts';
import { topLevelCode, zhExamples } from '../../src/hotline/classifier/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { hotlineCityPerFile, ledgerCount, makeTicket, refusal, run, ticketInput } from './factories.ts';

const t = hotlineCityPerFile({ trainedModel: false });

const suggest = (text: string) => withTransaction(t.db, (tx) => suggestClassification(tx, text));
const operatorExamples = async () => (await t.db.query<{ text: string; label: string; ticketId: number }>(
  `SELECT text, label, ticket_id::int AS "ticketId" FROM hotline_classifier_examples WHERE source = 'operator' ORDER BY id`)).rows;

test('texts written apart from the examples get their category, with its path and alternatives; the first use trains and stores a model', async () => {
  const cases: [string, string, string[]][] = [
    ['楼下饭店的油烟直接排到我家窗户', 'HB-YY', ['环境保护与资源利用', '污染防治', '油烟']],
    ['小区垃圾站三天没人来拉，臭气熏天', 'CG-SRHW-LJQY', ['城乡建设与管理', '市容环卫', '垃圾清运']],
    ['十字路口的红绿灯坏了一直闪黄灯', 'JT-XHD', ['交通运输', '信号灯故障']],
    ['晚上工地还在施工，吵得睡不着', 'HB-ZYRM', ['环境保护与资源利用', '污染防治', '噪音扰民']],
    ['超市卖的牛奶过期了', 'SJ-SPAQ', ['商贸服务与消费者权益保护', '食品安全']],
  ];
  for (const [text, code, path] of cases) {
    const s = await suggest(text);
    assert.deepEqual([s.category?.code, s.category?.path], [code, path], text);
    assert.ok(s.confidence > 0.5 && s.confidence <= 1, `${text}: ${s.confidence}`);
    assert.equal(s.alternatives[0]!.category.code, code);
    // The first level: the class whose categories' confidences sum highest, so at least the best leaf's.
    assert.deepEqual([s.firstLevel?.category.code, s.firstLevel?.category.path], [topLevelCode(code), path.slice(0, 1)], text);
    assert.ok(s.firstLevel!.confidence >= s.confidence && s.firstLevel!.confidence <= 1 + 1e-9, `${text}: ${s.firstLevel!.confidence}`);
    assert.equal(s.urgency.urgency, 'normal');
  }
  const { rows: [model] } = await t.db.query<{ n: number; examples: number; accuracy: number }>(
    'SELECT count(*) OVER ()::int AS n, example_count AS examples, accuracy FROM hotline_classifier_models');
  assert.equal(model!.n, 1, 'trained once, then loaded');
  assert.ok(model!.examples >= 285 && model!.accuracy > 0.5, JSON.stringify(model));
  assert.equal(await ledgerCount(t.db, 'hotline.classifier.retrained'), 1);
});

test('intake without a category files the ticket under the suggestion and records the classification', async () => {
  const before = await ledgerCount(t.db, 'hotline.ticket.received');
  const { ticket, routedDepartmentId } = await run(t.db, t.city.actors.operator, intakeTicket,
    ticketInput({ categoryCode: undefined, description: '小区垃圾站三天没人来拉，臭气熏天' }));
  assert.deepEqual([ticket.categoryCode, ticket.suggestedCategoryCode, ticket.categoryCorrected], ['CG-SRHW-LJQY', 'CG-SRHW-LJQY', false]);
  assert.ok(ticket.suggestionConfidence! > 0.5);
  assert.deepEqual([ticket.urgency, ticket.emergency, ticket.transferTo], ['normal', false, null]);
  assert.equal(routedDepartmentId, t.city.gaUrban, 'the suggested category is routed like a chosen one');
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.received'), before + 1, 'one entry, the classification in its payload');
  assert.deepEqual(await operatorExamples(), [], 'taking the suggestion is no correction');
});

test('an operator\'s correction is kept, and after retraining what operators keep correcting is classified as corrected', async () => {
  // 高空抛物 (throwing things from high floors) is in none of the examples; operators file it under 治安管理.
  const texts = ['楼上有人高空抛物，差点砸到人', '高空抛物砸坏了我停在楼下的车', '又有人从楼上往下扔东西，高空抛物太危险了', '高空抛物的人找不到，想请派出所查一下'];
  const first = (await suggest(texts[0]!)).category!.code;
  const target = first === 'GA-ZAGL' ? 'SF-TJJF' : 'GA-ZAGL';
  const ticket = await makeTicket(t.db, { categoryCode: target, description: texts[0]! }, t.city.actors.operator);
  assert.deepEqual([ticket.categoryCode, ticket.suggestedCategoryCode, ticket.categoryCorrected], [target, first, true]);
  assert.deepEqual(await operatorExamples(), [{ text: texts[0], label: target, ticketId: ticket.id }]);
  for (const text of texts.slice(1)) await makeTicket(t.db, { categoryCode: target, description: text }, t.city.actors.operator);
  assert.equal((await suggest(texts[0]!)).category!.code, first, 'the model in use changes only when retrained');

  await assert.rejects(run(t.db, t.city.actors.handler, retrainClassifier, {}), refusal('hotline.not-centre', 403));
  const retrainedBefore = await ledgerCount(t.db, 'hotline.classifier.retrained');
  const trained = await run(t.db, t.city.actors.operator, retrainClassifier, {});
  assert.ok(trained.accuracy > 0.5 && trained.accuracy <= 1);
  assert.equal(trained.examples, zhExamples().length + (await t.db.query('SELECT 1 FROM hotline_classifier_examples')).rowCount!);
  // Shadow evaluation: on the corrections the model in use never saw, the new one (judged on its cross-validated predictions) does better.
  const shadow = trained.evaluation.shadow;
  assert.equal(shadow.examples, (await operatorExamples()).length);
  assert.ok(shadow.candidate! > shadow.live!, JSON.stringify(shadow));
  assert.equal(trained.promoted, true);
  assert.ok(trained.evaluation.precisionAbove >= 0.95 && trained.evaluation.threshold > 0, JSON.stringify(trained.evaluation));
  assert.equal(await ledgerCount(t.db, 'hotline.classifier.retrained'), retrainedBefore + 1);
  assert.equal((await suggest('楼上的人高空抛物，扔下来一个花盆')).category!.code, target);
});

test('a retrained model that does worse is stored but not put in use; the sweep learns once enough corrections came in', async () => {
  const text = '十字路口的红绿灯坏了一直闪黄灯';
  const before = await suggest(text);
  // Examples with their labels shuffled: nothing can learn them, so cross-validated accuracy falls.
  const shuffled = zhExamples().slice(0, 400).map((e, i, all) => ({ text: `${e.text}。`, label: all[(i + 37) % all.length]!.label }));
  await t.db.query(`INSERT INTO hotline_classifier_examples (text, label, source) SELECT * , 'seed' FROM unnest($1::text[], $2::text[])`,
    [shuffled.map((e) => e.text), shuffled.map((e) => e.label)]);
  try {
    const worse = await run(t.db, t.city.actors.operator, retrainClassifier, {});
    assert.equal(worse.promoted, false, JSON.stringify(worse.evaluation));
    const { rows } = await t.db.query<{ promoted: boolean }>('SELECT promoted FROM hotline_classifier_models ORDER BY id DESC LIMIT 1');
    assert.deepEqual(rows, [{ promoted: false }]);
    const after = await suggest(text);
    assert.deepEqual([after.category?.code, after.confidence], [before.category?.code, before.confidence], 'the model in use stays');
  } finally {
    await t.db.query(`DELETE FROM hotline_classifier_examples WHERE source = 'seed'`);
  }
  assert.equal(await learnFromCorrections(t.db, new Date()), 0, 'no new corrections since the last training');
});

test('着火了 is an urgent fire emergency for 119; an operator\'s urgency stands, the transfer is still shown', async () => {
  const s = await suggest('着火了');
  assert.deepEqual([s.urgency.urgency, s.urgency.emergency, s.urgency.transferTo], ['urgent', 'fire', '119']);
  const fire = await makeTicket(t.db, { categoryCode: 'GA-XFYH', description: '着火了' }, t.city.actors.operator);
  assert.deepEqual([fire.urgency, fire.emergency, fire.emergencyKind, fire.transferTo], ['urgent', true, 'fire', '119']);
  const chosen = await makeTicket(t.db, { categoryCode: 'GA-XFYH', description: '楼道里着火了', urgency: 'normal' }, t.city.actors.operator);
  assert.deepEqual([chosen.urgency, chosen.emergency, chosen.transferTo], ['normal', true, '119']);
  const risk = await makeTicket(t.db, { categoryCode: 'GA-XFYH', description: '楼道堆满杂物，存在火灾隐患' }, t.city.actors.operator);
  assert.deepEqual([risk.urgency, risk.emergency, risk.transferTo], ['normal', false, null], 'a fire risk is no fire');
});
