/**
 * The demo city's category tree (诉求分类) and the Chinese examples the classifier starts from before a city
 * has labelled tickets of its own. The first level is the twelve classes of GB/T 39666-2020 政府热线服务分类与代码;
 * below it the city's own entries (data/categories.json says which is which). Each entry names its parent;
 * examples are labelled with leaf codes.
 */
import categoriesJson from './data/categories.json' with { type: 'json' };
import examplesJson from './data/zh-examples.json' with { type: 'json' };
import messagesJson from './data/zh-messages.json' with { type: 'json' };
import type { Example } from './model.ts';

export interface TimeLimitOfCategory {
  acceptHours: number;
  replyDays: number;
  resolveDays: number;
}

export interface Category {
  code: string;
  name: string;
  nameEn: string;
  /** Absent at the first level. */
  parent?: string;
  /** The kind of department (src/kernel/demo/departments.ts) a ticket of this entry and its descendants is dispatched to. */
  departmentKind?: string;
  /** Words callers use for it: the category's keywords, and Open311's. */
  synonyms: string[];
  /** 办理时限 where the city sets its own, per urgency. */
  timeLimits?: { normal?: TimeLimitOfCategory; urgent?: TimeLimitOfCategory };
  /** 'GB/T 39666-2020' for the standard's first-level classes, 'city' for the city's extension. */
  source: string;
}

export const zhCategories: readonly Category[] = categoriesJson.categories;

const parents = new Map(zhCategories.map((c) => [c.code, c.parent]));

/**
 * The codes from the top of the tree down to `code` itself: 'CG-SRHW-LJQY' → ['CG', 'CG-SRHW', 'CG-SRHW-LJQY'].
 * A code outside the tree is read as holding its ancestors, parts joined by '-'.
 */
export function categoryPath(code: string): string[] {
  if (!parents.has(code)) return code.split('-').map((_, i, parts) => parts.slice(0, i + 1).join('-'));
  const path = [code];
  for (let parent = parents.get(code); parent !== undefined; parent = parents.get(parent)) path.unshift(parent);
  return path;
}

/** The first-level category of a code: 'ZF-WYJF' (物业纠纷) → 'CG' (城乡建设与管理). */
export const topLevelCode = (code: string): string => categoryPath(code)[0]!;

/**
 * The labelled Chinese tickets, labelled with leaf codes: the short hand-written examples
 * (data/zh-examples.json) and the longer, messier messages written in callers' style (data/zh-messages.json).
 */
export function zhExamples(): Example[] {
  const entries = (texts: Record<string, string[]>) => Object.entries(texts).flatMap(([label, list]) => list.map((text) => ({ text, label })));
  return [...entries(examplesJson as Record<string, string[]>), ...entries(messagesJson.messages as Record<string, string[]>)];
}
