import { test } from 'node:test';
import assert from 'node:assert/strict';
import { suggestUrgency, type UrgencyRules } from '../../../src/hotline/classifier/index.ts';

const cases: [string, 'urgent' | 'normal', string | undefined][] = [
  ['着火了！', 'urgent', '119'],
  ['有人落水了，快来救人', 'urgent', '119'],
  ['厨房燃气泄漏，味道很大', 'urgent', '119'],
  ['楼下有人打架，还拿着刀', 'urgent', '110'],
  ['老人晕倒在公交站，不省人事', 'urgent', '120'],
  ['工地有人触电了', 'urgent', '120'],
  ['三楼着火，有人昏迷', 'urgent', '119'],
  ['电梯困人，两个小孩被困在里面', 'urgent', undefined],
  ['紧急！路面塌陷出现大坑', 'urgent', undefined],
  ['Gas leak in the basement', 'urgent', '119'],
  ['楼道里堆满杂物，存在火灾隐患，容易引发火灾', 'normal', undefined],
  ['楼下火锅店油烟太大', 'normal', undefined],
  ['热水器都打不着火，水压太小', 'normal', undefined],
  ['fire hydrant leaking', 'normal', undefined],
  ['小区垃圾三天没人清运', 'normal', undefined],
  ['Loud Music/Party', 'normal', undefined],
];

for (const [text, urgency, transferTo] of cases) {
  test(`urgency of ${text}`, () => {
    const result = suggestUrgency(text);
    assert.equal(result.urgency, urgency);
    assert.equal(result.transferTo, transferTo);
    assert.equal(result.matched.length > 0, urgency === 'urgent');
  });
}

test('the emergency kind and the phrases that matched are given', () => {
  assert.deepEqual(suggestUrgency('着火了'), { urgency: 'urgent', emergency: 'fire', transferTo: '119', matched: ['着火'] });
  assert.deepEqual(suggestUrgency('有人落水'), { urgency: 'urgent', emergency: 'fire', transferTo: '119', matched: ['落水'] });
  assert.deepEqual(suggestUrgency('  ').matched, []);
});

test('a city can use its own rules', () => {
  const rules: UrgencyRules = { notUrgent: ['演习'], emergencies: { medical: ['heart attack'] }, urgent: ['漏水'] };
  assert.equal(suggestUrgency('楼上漏水', rules).urgency, 'urgent');
  assert.equal(suggestUrgency('着火了', rules).urgency, 'normal');
  assert.equal(suggestUrgency('HEART ATTACK on 5th', rules).transferTo, '120');
  assert.equal(suggestUrgency('heart attacks', rules).urgency, 'normal', 'Latin phrases match whole words');
  assert.equal(suggestUrgency('消防演习漏水', { ...rules, notUrgent: ['演习漏水'] }).urgency, 'normal');
});
