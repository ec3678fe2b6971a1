/**
 * Addresses parsed against the division tree: the deepest division named at the start of the address (the
 * province and city may be left out, 省/市/区 suffixes too), then the street and the house number.
 */

/** One division of the tree; codes of 6, 9 or 12 digits (padded to 12). */
export interface DivisionEntry {
  code: string;
  name: string;
}

export interface DivisionIndex {
  /** Division name (full and without its 省/市/区/县/街道/镇/乡 suffix) → 12-digit codes. */
  byName: Map<string, string[]>;
  longestName: number;
  /** 12-digit code → official name, to rebuild an address in a standard form. */
  names: Map<string, string>;
}

const SUFFIXES = '特别行政区|自治区|自治州|自治县|街道办事处|街道|省|市|区|县|镇|乡|盟|旗';
const SUFFIX = new RegExp(`(${SUFFIXES})$`);
const LEADING_SUFFIX = new RegExp(`^(${SUFFIXES})`);

/** Builds the lookup used by parseAddress from any list of divisions (the platform's table or a reference file). */
export function divisionIndex(divisions: Iterable<DivisionEntry>): DivisionIndex {
  const byName = new Map<string, string[]>();
  const names = new Map<string, string>();
  let longestName = 0;
  const add = (name: string, code: string) => {
    if (name.length < 2) return;
    const codes = byName.get(name);
    if (codes) codes.push(code);
    else byName.set(name, [code]);
    longestName = Math.max(longestName, name.length);
  };
  for (const d of divisions) {
    const code = d.code.padEnd(12, '0');
    names.set(code, d.name);
    add(d.name, code);
    const short = d.name.replace(SUFFIX, '');
    if (short !== d.name) add(short, code);
  }
  return { byName, longestName, names };
}

/** The significant prefix of a 12-digit division code (trailing zero levels dropped). */
export function codePrefix(code12: string): string {
  for (const end of [2, 4, 6, 9]) if (/^0+$/.test(code12.slice(end))) return code12.slice(0, end);
  return code12;
}

export interface ParsedAddress {
  /** Deepest division found, 12 digits; null when the address names none. */
  division: string | null;
  street: string;
  number: string;
  /** What is left after division, street and number (building, room). */
  rest: string;
}

const STREET = /^(.*?(?:大道|路|街|巷|弄|胡同|道|村|社区|组))/;
const NUMBER = /^(\d+(?:-\d+)?)[号號]?/;

export function parseAddress(text: string, index: DivisionIndex | undefined): ParsedAddress {
  let at = 0;
  let division: string | null = null;
  let prefix = '';
  if (index) {
    for (;;) {
      let found: string | null = null;
      let length = 0;
      for (let len = Math.min(index.longestName, text.length - at); len >= 2 && !found; len--) {
        const codes = index.byName.get(text.slice(at, at + len));
        const under = codes?.filter((c) => c.startsWith(prefix) && c !== division);
        if (under?.length) {
          found = under[0];
          length = len;
        }
      }
      if (!found) break;
      division = found;
      prefix = codePrefix(found);
      at += length;
      // A suffix left after a short-name match (广安 + 区) is skipped.
      at += LEADING_SUFFIX.exec(text.slice(at))?.[0].length ?? 0;
    }
  }
  let rest = text.slice(at);
  const street = STREET.exec(rest)?.[1] ?? '';
  rest = rest.slice(street.length);
  const number = NUMBER.exec(rest);
  if (number) rest = rest.slice(number[0].length);
  return { division, street, number: number?.[1] ?? '', rest };
}
