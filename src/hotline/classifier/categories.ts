/**
 * The demo city's category tree and the Chinese examples the classifier starts from before a city has
 * labelled tickets of its own. A category code holds its ancestors: CG-SRHW-LJQY (垃圾清运) sits under
 * CG-SRHW (市容环卫) under CG (城市管理); examples are labelled with leaf codes.
 */
import categoriesJson from './data/categories.json' with { type: 'json' };
import examplesJson from './data/zh-examples.json' with { type: 'json' };
import type { Example } from './model.ts';

export interface Category {
  code: string;
  name: string;
  nameEn: string;
}

export const zhCategories: readonly Category[] = categoriesJson;

/** The top-level category of a code: 'CG-SRHW-LJQY' → 'CG'. */
export const topLevelCode = (code: string): string => code.split('-')[0];

/** The codes from the top of the tree down to `code` itself: 'CG-SRHW-LJQY' → ['CG', 'CG-SRHW', 'CG-SRHW-LJQY']. */
export const categoryPath = (code: string): string[] =>
  code.split('-').map((_, i, parts) => parts.slice(0, i + 1).join('-'));

/** The hand-written Chinese training tickets (data/zh-examples.json), labelled with leaf codes. */
export function zhExamples(): Example[] {
  return Object.entries(examplesJson as Record<string, string[]>).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));
}
