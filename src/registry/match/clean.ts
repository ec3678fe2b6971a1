/**
 * 清洗: every raw value is turned into the form the comparisons use. Each change is a counted step with the
 * value before and after, and the raw values stay on the record, so cleaning can always be undone or shown.
 * A value that fails a check (an ID's check digit, an impossible date) is kept as written and reported as a
 * finding: it is never corrected silently and never dropped.
 */
import { checkCreditCode, checkMobile, checkResidentId, residentIdCheckChar } from '../../kernel/checks/index.ts';
import { parseAddress, type DivisionIndex } from './address.ts';
import type { FieldSpec, FieldType, LibrarySchema } from './schema.ts';
import { halfWidth, hasHan, intern, nameSound, simplify, tidySpaces } from './text.ts';

/** A cleaned value with what its comparisons need. */
export interface Feature {
  value: string;
  /** name: toneless pinyin (Chinese) or Soundex (Latin). */
  sound?: string;
  /** multi-valued fields: every value. */
  list?: string[];
  /** id_number, uscc, phone, date: whether the value passed its check. */
  valid?: boolean;
  /** date: days since 1970-01-01 when it is a real date. */
  day?: number;
  /**
   * address: deepest division found (12 digits) and street, which the comparison uses. The house number is
   * in the address-parsed step only: kept on every feature, it took 44 bytes a record
   * (live heap, measured on 100,000 records).
   */
  division?: string;
  street?: string;
}

export type RawValues = Readonly<Record<string, string | null | undefined>>;

export interface RawRecord {
  id: string;
  /** The department or file the record came from. */
  source?: string;
  /** When the source last changed the record (ISO date or instant), for "most recent" survivorship. */
  updatedAt?: string;
  values: RawValues;
}

export interface CleanRecord {
  id: string;
  source?: string;
  updatedAt?: string;
  /** Cleaned values in the order of the schema's fields; null when missing. */
  features: (Feature | null)[];
  /** The values as received. */
  original: RawValues;
}

export type CleanStep =
  | 'width' | 'space' | 'case' | 'traditional' | 'date-format' | 'phone-format' | 'id-upgraded' | 'code-format'
  | 'address-parsed' | 'category-synonym';

export interface StepRecord {
  field: string;
  step: CleanStep;
  before: string;
  after: string;
}

export type FindingCode =
  | 'id-number.invalid' | 'id-number.check-digit' | 'uscc.invalid' | 'uscc.check-digit' | 'phone.invalid'
  | 'date.invalid' | 'address.no-division' | 'birth-date.differs-from-id' | 'sex.differs-from-id';

export interface Finding {
  field: string;
  code: FindingCode;
  message: string;
}

export interface CleanOptions {
  /** Division lookup for addresses; without it addresses are compared as text. */
  divisions?: DivisionIndex;
  /** Two-digit years up to this value are read as 20xx, later ones as 19xx (default: this year's last two digits). */
  pivotYear?: number;
}

export interface CleanResult {
  clean: CleanRecord;
  findings: Finding[];
  steps: StepRecord[];
}

interface Context {
  field: FieldSpec;
  steps: StepRecord[];
  findings: Finding[];
  options: CleanOptions;
}

/**
 * Records a step that changed the value. An unchanged value comes back as the string it was given, so a clean
 * value shares the raw one (toLowerCase and 繁体→简体 build new strings even when nothing changes): this saved
 * 116 bytes a record (live heap, measured on 100,000 records).
 */
function step(ctx: Context, kind: CleanStep, before: string, after: string): string {
  if (before === after) return before;
  ctx.steps.push({ field: ctx.field.name, step: kind, before, after });
  return after;
}

const finding = (ctx: Context, code: FindingCode, message: string) => ctx.findings.push({ field: ctx.field.name, code, message });

/** Width, spaces, case and 繁体, each a step of its own. */
function normaliseText(ctx: Context, raw: string): string {
  let v = step(ctx, 'width', raw, halfWidth(raw));
  v = step(ctx, 'space', v, tidySpaces(v));
  v = step(ctx, 'case', v, v.toLowerCase());
  return hasHan(v) ? step(ctx, 'traditional', v, simplify(v)) : v;
}

function cleanName(ctx: Context, raw: string): Feature | null {
  const v = normaliseText(ctx, raw).replace(/[•・.]/g, '·');
  if (!ctx.field.multi) return v ? { value: v, sound: nameSound(v) } : null;
  const list = v.split(/\s*[、;；,，/]\s*/).filter(Boolean);
  return list.length ? { value: list.join('、'), list } : null;
}

const CHINESE_DIGITS: Record<string, string> = {
  〇: '0', 零: '0', 一: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9',
};

/** 一九九〇年十二月三十一日 → 1990年12月31日 (十 alone is 10, 二十 is 20, 十二 is 12). */
function arabicDate(text: string): string {
  return text
    .replace(/([一二三])?十([一二三四五六七八九])?/g, (_, tens?: string, ones?: string) =>
      String((tens ? Number(CHINESE_DIGITS[tens]) : 1) * 10 + (ones ? Number(CHINESE_DIGITS[ones]) : 0)))
    .replace(/[〇零一二三四五六七八九]/g, (c) => CHINESE_DIGITS[c]);
}

const DAY_MS = 86_400_000;

function dayOf(y: number, m: number, d: number): number | undefined {
  const t = Date.UTC(y, m - 1, d);
  const date = new Date(t);
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? t / DAY_MS : undefined;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Dates as 1990年1月2日, 一九九〇年一月二日, 1990.1.2, 1990-01-02, 1990/1/2, 19900102, 90-1-2 or 900102, also
 * with a time after them; the value is YYYYMMDD. Eight digits that are no real date stay as written, invalid.
 */
function cleanDate(ctx: Context, raw: string): Feature | null {
  const text = arabicDate(halfWidth(raw).trim());
  const pivot = ctx.options.pivotYear ?? new Date().getUTCFullYear() % 100;
  const fullYear = (y: string) => (y.length === 4 ? Number(y) : Number(y) + (Number(y) <= pivot ? 2000 : 1900));
  let parts: [number, number, number] | null = null;
  const separated = /^(\d{4}|\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?/.exec(text);
  const compact = /^(\d{4}|\d{2})(\d{2})(\d{2})(?:\D|$)/.exec(text);
  const match = separated ?? compact;
  if (match) parts = [fullYear(match[1]), Number(match[2]), Number(match[3])];
  if (!parts) {
    if (!text) return null;
    finding(ctx, 'date.invalid', `"${raw}" is not a date in a known format.`);
    return { value: text, valid: false };
  }
  const value = step(ctx, 'date-format', raw, intern(`${pad(parts[0], 4)}${pad(parts[1], 2)}${pad(parts[2], 2)}`));
  const day = dayOf(...parts);
  if (day === undefined) {
    finding(ctx, 'date.invalid', `${value} is not a real date.`);
    return { value, valid: false };
  }
  return { value, valid: true, day };
}

/** Old 15-digit IDs (year without century, no check character) become the 18-digit form. */
function upgradeId(id: string): string {
  if (!/^\d{15}$/.test(id)) return id;
  const first17 = `${id.slice(0, 6)}19${id.slice(6)}`;
  return first17 + residentIdCheckChar(first17);
}

function cleanIdNumber(ctx: Context, raw: string): Feature | null {
  let v = step(ctx, 'width', raw, halfWidth(raw));
  v = step(ctx, 'code-format', v, v.replace(/[\s-]/g, '').toUpperCase());
  if (!v) return null;
  v = step(ctx, 'id-upgraded', v, upgradeId(v));
  const checked = checkResidentId(v);
  if (checked.ok) return { value: checked.value, valid: true };
  finding(ctx, checked.reason === 'check-digit' ? 'id-number.check-digit' : 'id-number.invalid', checked.message);
  return { value: v, valid: false };
}

function cleanUscc(ctx: Context, raw: string): Feature | null {
  let v = step(ctx, 'width', raw, halfWidth(raw));
  v = step(ctx, 'code-format', v, v.replace(/[\s-]/g, '').toUpperCase());
  if (!v) return null;
  const checked = checkCreditCode(v);
  if (checked.ok) return { value: checked.value, valid: true };
  finding(ctx, checked.reason === 'check-digit' ? 'uscc.check-digit' : 'uscc.invalid', checked.message);
  return { value: v, valid: false };
}

function cleanPhone(ctx: Context, raw: string): Feature | null {
  const v = halfWidth(raw).trim();
  if (!v) return null;
  const mobile = checkMobile(v.replace(/[()（）]/g, ''));
  if (mobile.ok) return { value: step(ctx, 'phone-format', raw, mobile.value), valid: true };
  // Fixed lines: area code 0xx(x) and 7–8 digits, written with any separators.
  const digits = v.replace(/^(\+86|0086)/, '').replace(/\D/g, '');
  if (/^0\d{9,11}$/.test(digits) || /^\d{7,8}$/.test(digits)) return { value: step(ctx, 'phone-format', raw, digits), valid: true };
  finding(ctx, 'phone.invalid', `"${raw}" is neither a mobile nor a fixed-line number.`);
  return { value: digits || v, valid: false };
}

function cleanAddress(ctx: Context, raw: string): Feature | null {
  const v = normaliseText(ctx, raw);
  if (!v) return null;
  const compact = hasHan(v) ? v.replace(/\s/g, '') : v;
  if (!ctx.options.divisions || !hasHan(compact)) return { value: compact };
  const parsed = parseAddress(compact, ctx.options.divisions);
  if (!parsed.division) finding(ctx, 'address.no-division', `No division of the tree is named in "${raw}".`);
  else step(ctx, 'address-parsed', compact, `${parsed.division}|${parsed.street}|${parsed.number}`);
  return { value: compact, division: parsed.division ?? undefined, street: parsed.street ? intern(parsed.street) : undefined };
}

function cleanCode(ctx: Context, raw: string): Feature | null {
  const v = step(ctx, 'code-format', raw, halfWidth(raw).replace(/[\s-]/g, '').toUpperCase());
  return v ? { value: v } : null;
}

const SEX_SYNONYMS: Record<string, string> = {
  男: 'male', 男性: 'male', m: 'male', male: 'male', 女: 'female', 女性: 'female', f: 'female', female: 'female',
};

/**
 * A category has few values, so one frozen feature per value serves every record that has it: a feature of
 * its own per record took 32 bytes a record for sex alone (live heap, measured on 100,000 records).
 */
const categoryFeatures = new Map<string, Feature>();
const CATEGORY_LIMIT = 10_000;

function cleanCategory(ctx: Context, raw: string): Feature | null {
  let v = normaliseText(ctx, raw);
  if (ctx.field.name === 'sex') v = step(ctx, 'category-synonym', v, SEX_SYNONYMS[v] ?? v);
  if (!v) return null;
  let feature = categoryFeatures.get(v);
  if (!feature) {
    if (categoryFeatures.size >= CATEGORY_LIMIT) categoryFeatures.clear();
    categoryFeatures.set(v, (feature = Object.freeze({ value: v })));
  }
  return feature;
}

function cleanText(ctx: Context, raw: string): Feature | null {
  const v = normaliseText(ctx, raw).replace(/[（]/g, '(').replace(/[）]/g, ')');
  return v ? { value: v } : null;
}

const cleaners: Record<FieldType, (ctx: Context, raw: string) => Feature | null> = {
  name: cleanName, text: cleanText, date: cleanDate, id_number: cleanIdNumber, uscc: cleanUscc, phone: cleanPhone,
  address: cleanAddress, code: cleanCode, category: cleanCategory,
};

/** The birth date and sex a valid resident ID states, compared with the record's own. */
function crossCheckId(schema: LibrarySchema, features: (Feature | null)[], findings: Finding[]): void {
  const at = (type: FieldType, name?: string) => schema.fields.findIndex((f) => f.type === type && (!name || f.name === name));
  const idAt = at('id_number');
  const id = idAt >= 0 ? features[idAt] : null;
  if (!id?.valid) return;
  const dateAt = at('date', 'birth_date');
  const birth = dateAt >= 0 ? features[dateAt] : null;
  if (birth?.valid && birth.value !== id.value.slice(6, 14))
    findings.push({ field: 'birth_date', code: 'birth-date.differs-from-id', message: `The ID gives birth date ${id.value.slice(6, 14)}, the record ${birth.value}.` });
  const sexAt = at('category', 'sex');
  const sex = sexAt >= 0 ? features[sexAt] : null;
  const idSex = Number(id.value[16]) % 2 === 1 ? 'male' : 'female';
  if (sex && (sex.value === 'male' || sex.value === 'female') && sex.value !== idSex)
    findings.push({ field: 'sex', code: 'sex.differs-from-id', message: `The ID is that of a ${idSex}, the record says ${sex.value}.` });
}

export function cleanRecord(schema: LibrarySchema, raw: RawRecord, options: CleanOptions = {}): CleanResult {
  const steps: StepRecord[] = [];
  const findings: Finding[] = [];
  const features = schema.fields.map((field) => {
    const value = raw.values[field.name];
    if (value === null || value === undefined || value.trim() === '') return null;
    return cleaners[field.type]({ field, steps, findings, options }, value);
  });
  crossCheckId(schema, features, findings);
  return {
    clean: { id: raw.id, source: raw.source, updatedAt: raw.updatedAt, features, original: raw.values },
    findings,
    steps,
  };
}

export interface CleanSummary {
  records: number;
  /** Steps applied, per field and kind. */
  steps: Record<string, Partial<Record<CleanStep, number>>>;
  /** Findings, per code. */
  findings: Partial<Record<FindingCode, number>>;
}

/** Cleans many records, keeping the counts of steps and findings rather than each one. */
export function cleanRecords(schema: LibrarySchema, raws: Iterable<RawRecord>, options: CleanOptions = {}): { records: CleanRecord[]; summary: CleanSummary } {
  const records: CleanRecord[] = [];
  const summary: CleanSummary = { records: 0, steps: {}, findings: {} };
  for (const raw of raws) {
    const { clean, steps, findings } = cleanRecord(schema, raw, options);
    records.push(clean);
    summary.records++;
    for (const s of steps) {
      const perField = (summary.steps[s.field] ??= {});
      perField[s.step] = (perField[s.step] ?? 0) + 1;
    }
    for (const f of findings) summary.findings[f.code] = (summary.findings[f.code] ?? 0) + 1;
  }
  return { records, summary };
}
