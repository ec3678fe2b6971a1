/**
 * Made-up person records as five departments hold them, with the errors real ones have and the truth known:
 * homophone and look-alike typos in names, 繁体, dates in each department's own format and sometimes with day
 * and month swapped, old addresses, missing or mistyped IDs, old 15-digit IDs, common names shared by many,
 * twins, and different people with the same name and birthday. For tests, benchmarks and the demo.
 */
import * as OpenCC from 'opencc-js';
import { residentIdCheckChar } from '../../kernel/checks/index.ts';
import { createRng, personName, type Rng, type Sex } from '../../kernel/demo/index.ts';
import { codePrefix, type DivisionEntry } from './address.ts';
import type { RawRecord } from './clean.ts';

export const departments = ['公安局', '人社局', '卫健委', '民政局', '税务局'] as const;

interface Person {
  name: string;
  formerName?: string;
  sex: Sex;
  birth: [number, number, number];
  id: string;
  phone: string;
  address: string;
  oldAddress: string;
  hukou: string;
  employer: string;
}

const STREETS = [...'建设人民解放中山和平胜利团结新华文化光明幸福友谊滨江朝阳']
  .reduce<string[]>((acc, c, i, all) => (i % 2 ? [...acc, all[i - 1] + c] : acc), [])
  .flatMap((s) => [`${s}路`, `${s}街`]);
const EMPLOYERS = ['广安市第一人民医院', '四川广安发电有限责任公司', '广安市实验中学', '华蓥山旅游开发有限公司', '广安区农业农村局',
  '邻水县人民医院', '岳池县建筑工程公司', '武胜县供电公司', '前锋区税务局', '广安恒丰商贸有限公司', '个体经营', '无业'];

/** Characters of given names and others read the same (a clerk typing by pinyin picks the wrong one). */
const HOMOPHONES: Record<string, string> = {
  伟: '玮', 丽: '莉', 军: '君', 明: '鸣', 华: '桦', 敏: '民', 杰: '洁', 芳: '方', 娜: '那', 磊: '雷', 洋: '阳', 勇: '永',
  艳: '燕', 涛: '韬', 超: '潮', 刚: '钢', 婷: '亭', 秀: '绣', 英: '瑛', 静: '晶', 红: '宏', 平: '萍', 玉: '育', 兰: '岚',
  霞: '侠', 峰: '锋', 辉: '晖', 斌: '彬', 鹏: '朋', 飞: '菲', 宇: '雨', 浩: '皓', 凯: '恺', 龙: '隆', 林: '琳', 波: '博',
};
/** Characters of names and others that look alike (a form read by eye). */
const LOOK_ALIKES: Record<string, string> = {
  王: '玉', 明: '朋', 军: '车', 林: '材', 建: '健', 春: '椿', 玉: '王', 兰: '栏', 清: '请', 国: '固', 东: '冻',
  晴: '睛', 天: '夭', 大: '太', 田: '由', 刘: '浏', 张: '涨', 李: '季', 陈: '陆', 杨: '扬', 赵: '越', 周: '同',
};

const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function residentId(county6: string, [y, m, d]: [number, number, number], sex: Sex, rng: Rng): string {
  const sequence = rng.int(0, 49) * 20 + rng.int(0, 9) * 2 + (sex === 'male' ? 1 : 0);
  const first17 = `${county6}${y}${pad(m)}${pad(d)}${pad(sequence, 3)}`;
  return first17 + residentIdCheckChar(first17);
}

interface Place {
  township: DivisionEntry;
  path: string;
}

function placesOf(divisions: readonly DivisionEntry[]): Place[] {
  const byCode = new Map(divisions.map((d) => [d.code.padEnd(12, '0'), d]));
  const nameAt = (code12: string, length: number) => byCode.get(code12.slice(0, length).padEnd(12, '0'))?.name ?? '';
  return divisions
    .filter((d) => codePrefix(d.code.padEnd(12, '0')).length === 9)
    .map((township) => {
      const c = township.code.padEnd(12, '0');
      return { township, path: `${nameAt(c, 2)}${nameAt(c, 4)}${nameAt(c, 6)}${township.name}` };
    });
}

function address(rng: Rng, places: readonly Place[]): string {
  return `${rng.pick(places).path}${rng.pick(STREETS)}${rng.int(1, 300)}号`;
}

function birthDate(rng: Rng): [number, number, number] {
  const y = rng.int(1940, 2015);
  const m = rng.int(1, 12);
  return [y, m, rng.int(1, new Date(Date.UTC(y, m, 0)).getUTCDate())];
}

function makePerson(rng: Rng, places: readonly Place[], sex: Sex = rng.pick(['male', 'female'] as const)): Person {
  const birth = birthDate(rng);
  const home = rng.pick(places);
  const name = personName(rng, sex);
  return {
    name, sex, birth,
    formerName: rng.next() < 0.06 ? personName(rng, sex).replace(/^./, name[0]) : undefined,
    id: residentId(home.township.code.slice(0, 6), birth, sex, rng),
    phone: `1${rng.pick(['3', '5', '7', '8', '9'])}${Array.from({ length: 9 }, () => rng.int(0, 9)).join('')}`,
    address: address(rng, places),
    oldAddress: address(rng, places),
    hukou: `${home.path}${rng.pick(STREETS)}${rng.int(1, 300)}号`,
    employer: rng.pick(EMPLOYERS),
  };
}

/** The hard cases: a twin (same parents, birthday, home; other given name and ID) or a namesake born the same day. */
function relative(rng: Rng, places: readonly Place[], of: Person, kind: 'twin' | 'namesake'): Person {
  const other = makePerson(rng, places);
  if (kind === 'namesake') return { ...other, name: of.name, sex: of.sex, birth: of.birth, id: residentId(other.id.slice(0, 6), of.birth, of.sex, rng), formerName: undefined };
  const sex = rng.pick(['male', 'female'] as const);
  return {
    ...of, sex, formerName: undefined,
    name: of.name[0] + personName(rng, sex).slice(1),
    id: residentId(of.id.slice(0, 6), of.birth, sex, rng),
    employer: rng.pick(EMPLOYERS),
  };
}

function typo(rng: Rng, name: string): string {
  const at = rng.int(1, name.length - 1);
  const table = rng.next() < 0.6 ? HOMOPHONES : LOOK_ALIKES;
  const swap = table[name[at]] ?? table[name[0]];
  if (!swap) return name;
  return table[name[at]] ? name.slice(0, at) + swap + name.slice(at + 1) : swap + name.slice(1);
}

type DateStyle = (d: [number, number, number]) => string;
const DATE_STYLES: Record<(typeof departments)[number], DateStyle> = {
  公安局: ([y, m, d]) => `${y}${pad(m)}${pad(d)}`,
  人社局: ([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`,
  卫健委: ([y, m, d]) => `${y}年${m}月${d}日`,
  民政局: ([y, m, d]) => `${y}.${m}.${d}`,
  税务局: ([y, m, d]) => `${y}/${m}/${d}`,
};

export interface GenerateOptions {
  people: number;
  seed?: string;
  /** Divisions with townships (9-digit codes) and their counties, cities and provinces. */
  divisions: readonly DivisionEntry[];
  /** Share of people who have a twin, and who have a namesake born the same day. */
  twins?: number;
  namesakes?: number;
}

/** Records of `people` people across the five departments; each person is in at least one. */
export function* generatePersonRecords(options: GenerateOptions): Generator<RawRecord & { person: number }> {
  const rng = createRng(options.seed ?? 'registry');
  const places = placesOf(options.divisions);
  if (!places.length) throw new RangeError('the divisions have no township');
  let n = 0;
  const pending: Person[] = [];
  let recordNo = 0;
  while (n < options.people) {
    const person = pending.shift() ?? makePerson(rng, places);
    if (rng.next() < (options.twins ?? 0.01)) pending.push(relative(rng, places, person, 'twin'));
    if (rng.next() < (options.namesakes ?? 0.01)) pending.push(relative(rng, places, person, 'namesake'));
    const present = departments.filter(() => rng.next() < 0.7);
    if (!present.length) present.push(rng.pick(departments));
    for (const department of present) {
      yield { ...departmentRecord(rng, person, department, `r${++recordNo}`), person: n };
    }
    n++;
  }
}

function departmentRecord(rng: Rng, p: Person, department: (typeof departments)[number], id: string): RawRecord {
  let name = rng.next() < 0.06 ? typo(rng, p.name) : p.name;
  if (rng.next() < 0.05) name = toTraditional(name);
  if (rng.next() < 0.03) name = [...name].join(' ');
  let birth = p.birth;
  if (rng.next() < 0.03 && birth[2] <= 12) birth = [birth[0], birth[2], birth[1]];
  let idNumber: string | null = p.id;
  const missingId = department === '卫健委' ? 0.3 : 0.05;
  if (rng.next() < missingId) idNumber = null;
  else if (rng.next() < 0.02) idNumber = p.id.slice(0, 10) + ((Number(p.id[10]) + 1) % 10) + p.id.slice(11);
  else if (department === '民政局' && p.birth[0] < 2000 && rng.next() < 0.2) idNumber = p.id.slice(0, 6) + p.id.slice(8, 17);
  let phone: string | null = rng.next() < 0.15 ? `13${Array.from({ length: 9 }, () => rng.int(0, 9)).join('')}` : p.phone;
  if (rng.next() < 0.2) phone = `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`;
  if (department === '公安局' ? false : rng.next() < 0.2) phone = null;
  const address = rng.next() < 0.2 ? p.oldAddress : p.address;
  const sexStyle = rng.pick([['男', '女'], ['M', 'F'], ['male', 'female']]);
  return {
    id,
    source: department,
    updatedAt: `20${pad(rng.int(18, 25))}-${pad(rng.int(1, 12))}-${pad(rng.int(1, 28))}`,
    values: {
      name,
      former_names: department === '公安局' || department === '民政局' ? p.formerName ?? null : null,
      sex: sexStyle[p.sex === 'male' ? 0 : 1],
      birth_date: DATE_STYLES[department](birth),
      id_number: idNumber,
      phone,
      address: rng.next() < 0.05 ? toTraditional(address) : address,
      hukou: department === '公安局' || department === '民政局' ? p.hukou : null,
      employer: department === '人社局' || department === '税务局' ? p.employer : null,
    },
  };
}
