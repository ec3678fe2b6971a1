/**
 * Realistic Chinese person names: surnames drawn by real frequency (data/surnames.csv, the 203 most
 * common), given names from characters common in names of people born 1960–2010.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Rng } from './rng.ts';

interface Surname {
  surname: string;
  count: number;
}

const surnamesFile = new URL('./data/surnames.csv', import.meta.url);

export type Sex = 'male' | 'female';

// Characters common in given names, by the sex they usually go with; the shared ones go with either.
const GIVEN_NAME_CHARACTERS: Record<Sex, string[]> = {
  male: [...'伟强磊军洋勇杰涛明超刚建文辉鹏飞斌宇浩凯健俊帆旭龙林博轩阳鑫波毅峰成东海志国荣德昌兴福祥贵川光学永晨华平宁金清春'],
  female: [...'芳娜敏静丽艳娟秀霞桂英玉兰萍红欣婷雪琳晶颖倩慧怡思雨梓涵诗瑶梦燕云琴莉琼蓉嘉佳晨华平宁金清春'],
};

/** Share of given names with one character (张伟) rather than two (张子轩). */
const SINGLE_CHARACTER_SHARE = 0.2;

let surnames: Surname[] | undefined;

function loadSurnames(): Surname[] {
  const rows = parse(readFileSync(surnamesFile, 'utf8'), { columns: true, skip_empty_lines: true }) as {
    NameB: string;
    TF: string;
  }[];
  return rows.map((row) => ({ surname: row.NameB, count: Number(row.TF) }));
}

/** A full name, surname first; the sex is drawn at even odds unless given. */
export function personName(rng: Rng, sex: Sex = rng.pick(['male', 'female'] as const)): string {
  surnames ??= loadSurnames();
  const { surname } = rng.weighted(surnames, (entry) => entry.count);
  const length = rng.next() < SINGLE_CHARACTER_SHARE ? 1 : 2;
  return surname + Array.from({ length }, () => rng.pick(GIVEN_NAME_CHARACTERS[sex])).join('');
}
