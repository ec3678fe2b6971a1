// `yiwang registry match` on the FEBRL data sets (F1 ≥ 0.99 each) and on a link of two files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it, mock } from 'node:test';
import { Command } from 'commander';
import { registryMatchCli } from '../../../src/registry/match/cli.ts';

const fixture = (name: string) => new URL(`./fixtures/febrl/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(path.join(tmpdir(), 'registry-match-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Printed { precision: number; recall: number; f1: number; truePairs: number; foundPairs: number }

/** Runs the command as `yiwang` would and returns what it printed on stdout (the figures) and the pairs file. */
async function match(args: string[]): Promise<{ figures: Printed | null; lines: string[] }> {
  const program = new Command('yiwang').exitOverride();
  registryMatchCli(program);
  const out = path.join(dir, `pairs-${Math.random().toString(36).slice(2)}.csv`);
  const log = mock.method(console, 'log', () => undefined);
  const err = mock.method(process.stderr, 'write', () => true);
  try {
    await program.parseAsync(['registry', 'match', ...args, '--out', out], { from: 'user' });
  } finally {
    log.mock.restore();
    err.mock.restore();
  }
  const printed = log.mock.calls.map((c) => String(c.arguments[0]));
  return { figures: printed.length ? JSON.parse(printed[0]) as Printed : null, lines: readFileSync(out, 'utf8').trim().split('\n') };
}

describe('registry match on FEBRL', () => {
  for (const [file, truePairs] of [['dataset1.csv', 500], ['dataset2.csv', 1934]] as const) {
    it(`dedupes ${file} with F1 ≥ 0.99`, async () => {
      const { figures, lines } = await match(['--dedupe', fixture(file), '--truth', 'rec_id']);
      assert.equal(figures!.truePairs, truePairs);
      assert.ok(figures!.f1 >= 0.99, JSON.stringify(figures));
      assert.equal(lines[0], 'a_id,b_id,probability');
      assert.match(lines[1], /^\d+,\d+,(0|1)\.\d{6}$/);
    });
  }

  it('never sees the truth column: other truth values give the same pairs', async () => {
    const text = readFileSync(fixture('dataset1.csv'), 'utf8').split('\n');
    const scrambled = path.join(dir, 'scrambled.csv');
    writeFileSync(scrambled, [text[0], ...text.slice(1).map((l, i) => (l ? l.replace(/^rec-\d+-(org|dup-\d+)/, `rec-${i}-org`) : l))].join('\n'));
    const original = await match(['--dedupe', fixture('dataset1.csv'), '--truth', 'rec_id']);
    const other = await match(['--dedupe', scrambled, '--truth', 'rec_id']);
    assert.deepEqual(other.lines, original.lines);
    assert.equal(other.figures!.truePairs, 0);
  });

  it('links two files: originals against duplicates', async () => {
    const [header, ...rows] = readFileSync(fixture('dataset1.csv'), 'utf8').trim().split('\n');
    const a = path.join(dir, 'a.csv');
    const b = path.join(dir, 'b.csv');
    writeFileSync(a, [header, ...rows.filter((r) => r.includes('-org'))].join('\n'));
    writeFileSync(b, [header, ...rows.filter((r) => r.includes('-dup-'))].join('\n'));
    const { figures, lines } = await match(['--link', a, b, '--truth', 'rec_id']);
    assert.equal(figures!.truePairs, 500);
    assert.ok(figures!.f1 >= 0.99, JSON.stringify(figures));
    assert.equal(lines.length - 1, figures!.foundPairs);
  });

  it('maps columns onto library fields and refuses a mapping to nothing', async () => {
    const file = path.join(dir, 'cn.csv');
    writeFileSync(file, '编号,姓名,身份证号,出生日期\n1,张伟,511602199001021231,1990年1月2日\n2,張偉,511602199001021231,1990.1.2\n3,李娜,,1985-05-05\n');
    const { lines } = await match(['--dedupe', file, '--id', '编号', '--map', '姓名=name,身份证号=id_number,出生日期=birth_date']);
    assert.deepEqual(lines.slice(1), ['1,2,1.000000']);
    await assert.rejects(match(['--dedupe', file, '--map', '姓名=nickname']), /neither a field of person nor a field type/);
  });
});
