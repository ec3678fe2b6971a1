import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toneOf } from '../../src/hotline/callback-tone.ts';

test('the tone of a callback note: negative words first, since 不满意 holds 满意 and 没有解决 holds 解决', () => {
  const cases: [string | null, ReturnType<typeof toneOf>][] = [
    [null, 'none'], ['', 'none'], ['已联系诉求人', 'none'],
    ['问题已经解决，谢谢', 'positive'], ['满意', 'positive'], ['路灯修好了', 'positive'],
    ['不满意，问题还在', 'negative'], ['到现在还没有解决', 'negative'], ['没人来处理', 'negative'], ['街道敷衍了事', 'negative'],
    ['路灯还是不亮', 'negative'], ['垃圾依然堆在那里，还是老样子', 'negative'], ['尚未整改', 'negative'], ['满意是满意，但还没修', 'negative'],
  ];
  for (const [note, tone] of cases) assert.equal(toneOf(note), tone, String(note));
});
