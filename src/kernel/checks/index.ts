/**
 * Identity checks used on every input that carries a resident ID, a unified social credit code, a mobile
 * number or a division code. Each check returns the normalised value or a stable reason code with an
 * English sentence; callers turn a failure into a DomainError naming their own field. Pure, so the web
 * app can run the same checks before submitting.
 */
import { chinaDay, chinaDayNumber, dayNumber, type Day } from '../calendar/china-time.ts';

export type CheckResult<Reason extends string> =
  | { ok: true; value: string }
  | { ok: false; reason: Reason; message: string };

const fail = <Reason extends string>(reason: Reason, message: string): CheckResult<Reason> =>
  ({ ok: false, reason, message });

// ---------------------------------------------------------------------------------------------------
// Resident ID (公民身份号码), GB 11643-1999: 6-digit division code, 8-digit birth date, 3-digit sequence
// (odd for men, even for women), check character by ISO 7064 MOD 11-2.

export type ResidentIdReason = 'length' | 'charset' | 'birth-date' | 'check-digit';

const RESIDENT_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK_CHARS = '10X98765432';

/** The check character (0-9 or X) that completes the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError(`expected 17 digits, got "${first17}"`);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * RESIDENT_ID_WEIGHTS[i];
  return RESIDENT_ID_CHECK_CHARS[sum % 11];
}

/**
 * Checks an 18-character resident ID. A lowercase x is accepted and returned as X. The birth date must be
 * a real date no later than `today` (taken as a China-time day). The division part is not checked against
 * the code table: IDs keep the code of the place of first registration, which may since have been retired.
 */
export function checkResidentId(input: string, today: Date = new Date()): CheckResult<ResidentIdReason> {
  const id = input.trim().toUpperCase();
  if (id.length !== 18)
    return fail('length', `A resident ID has 18 characters; this one has ${id.length}.`);
  if (!/^\d{17}[\dX]$/.test(id))
    return fail('charset', 'A resident ID is 17 digits followed by a digit or X.');
  const birthDate = birthDateOf(id);
  const birthDay = dayNumber(birthDate);
  if (birthDay === null)
    return fail('birth-date', `The birth date ${birthDate} in this resident ID is not a real date.`);
  if (birthDay > chinaDayNumber(today))
    return fail('birth-date', `The birth date ${birthDate} in this resident ID is in the future.`);
  const expected = residentIdCheckChar(id.slice(0, 17));
  if (id[17] !== expected)
    return fail('check-digit', `The last character of this resident ID should be ${expected}, not ${id[17]}.`);
  return { ok: true, value: id };
}

export interface ResidentIdFacts {
  /** GB/T 2260 code of the place where the ID was first issued. */
  divisionCode6: string;
  birthDate: Day;
  sex: 'male' | 'female';
}

/** What a resident ID says about its holder. Throws a RangeError when the ID does not pass checkResidentId. */
export function residentIdFacts(id: string): ResidentIdFacts {
  const value = validResidentId(id);
  return {
    divisionCode6: value.slice(0, 6),
    birthDate: birthDateOf(value),
    sex: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}

/**
 * Age in whole years on a day ('YYYY-MM-DD', or an instant taken as its China-time day). Someone born on
 * 29 February becomes a year older on 1 March in common years.
 */
export function ageOn(id: string, on: Date | Day): number {
  const birth = birthDateOf(validResidentId(id));
  const day = typeof on === 'string' ? on : chinaDay(on);
  if (dayNumber(day) === null) throw new RangeError(`not a day: "${day}"`);
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  // 'MM-DD' strings compare in calendar order.
  return day.slice(5) < birth.slice(5) ? years - 1 : years;
}

function birthDateOf(id: string): Day {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

function validResidentId(id: string): string {
  const checked = checkResidentId(id);
  if (!checked.ok) throw new RangeError(checked.message);
  return checked.value;
}

// ---------------------------------------------------------------------------------------------------
// Unified social credit code (统一社会信用代码), GB 32100-2015: registration department, organisation type,
// 6-digit division code, 9-character organisation code, check character by MOD 31.

export type CreditCodeReason =
  | 'length' | 'charset' | 'registration-department' | 'organisation-type' | 'division-code' | 'check-digit';

// The 31 characters in use: digits and capitals without I, O, S, V, Z (easily misread).
const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/**
 * 登记管理部门 and the 机构类别 each may register (GB 32100-2015 Annex A, with the codes for the military
 * establishment office and agricultural departments added by later notices).
 */
export const creditCodeRegistrars: Readonly<Record<string, { name: string; organisationTypes: Record<string, string> }>> = {
  '1': { name: '机构编制', organisationTypes: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' } },
  '2': { name: '外交', organisationTypes: { '1': '外国常驻新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    organisationTypes: { '1': '律师执业机构', '2': '公证处', '3': '基层法律服务所', '4': '司法鉴定机构', '5': '仲裁委员会', '9': '其他' },
  },
  '4': { name: '文化', organisationTypes: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', organisationTypes: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': { name: '旅游', organisationTypes: { '1': '外国旅游部门常驻代表机构', '2': '港澳台地区旅游部门常驻内地（大陆）代表机构', '9': '其他' } },
  '7': { name: '宗教', organisationTypes: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', organisationTypes: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商', organisationTypes: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', organisationTypes: { '1': '军队事业单位', '9': '其他' } },
  N: { name: '农业', organisationTypes: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' } },
  Y: { name: '其他', organisationTypes: { '1': '其他' } },
};

// Organisations registered by a central body carry 100000 (全国) instead of a GB/T 2260 code.
const NATIONAL_DIVISION = '100000';

/** The check character that completes the first 17 characters of a unified social credit code. */
export function creditCodeCheckChar(first17: string): string {
  const values = [...first17].map((c) => CREDIT_CODE_CHARS.indexOf(c));
  if (values.length !== 17 || values.includes(-1))
    throw new RangeError(`expected 17 credit-code characters, got "${first17}"`);
  const sum = values.reduce((acc, v, i) => acc + v * CREDIT_CODE_WEIGHTS[i], 0);
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31];
}

/** Checks an 18-character unified social credit code; lowercase letters are accepted and returned in capitals. */
export function checkCreditCode(input: string): CheckResult<CreditCodeReason> {
  const code = input.trim().toUpperCase();
  if (code.length !== 18)
    return fail('length', `A unified social credit code has 18 characters; this one has ${code.length}.`);
  const stray = [...code].find((c) => !CREDIT_CODE_CHARS.includes(c));
  if (stray !== undefined)
    return fail('charset', `A unified social credit code uses digits and capitals other than I, O, S, V and Z; it cannot contain "${stray}".`);
  const registrar = creditCodeRegistrars[code[0]];
  if (!registrar)
    return fail('registration-department', `"${code[0]}" is not a registration department code.`);
  if (!(code[1] in registrar.organisationTypes))
    return fail('organisation-type', `"${code[1]}" is not an organisation type that registration department ${code[0]} (${registrar.name}) issues.`);
  const division = code.slice(2, 8);
  if (division !== NATIONAL_DIVISION && !checkDivisionCode(division).ok)
    return fail('division-code', `Characters 3 to 8 (${division}) are not a division code.`);
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (code[17] !== expected)
    return fail('check-digit', `The last character of this unified social credit code should be ${expected}, not ${code[17]}.`);
  return { ok: true, value: code };
}

// ---------------------------------------------------------------------------------------------------
// Mainland mobile numbers.

export type MobileReason = 'charset' | 'length' | 'prefix';

/** Checks a mainland mobile number; strips spaces, hyphens and a +86 / 0086 / 86 country prefix. */
export function checkMobile(input: string): CheckResult<MobileReason> {
  const compact = input.replace(/[\s-]/g, '');
  const digits = compact.replace(/^(\+86|0086)/, '');
  if (!/^\d+$/.test(digits))
    return fail('charset', 'A mobile number contains only digits, optionally after +86.');
  // A bare 86 is a country prefix only in front of a full 11-digit number.
  const national = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  if (national.length !== 11)
    return fail('length', `A mainland mobile number has 11 digits; this one has ${national.length}.`);
  if (!/^1[3-9]/.test(national))
    return fail('prefix', 'A mainland mobile number starts with 13 to 19.');
  return { ok: true, value: national };
}

// ---------------------------------------------------------------------------------------------------
// Division codes: GB/T 2260 (2 province + 2 city + 2 county) + 3 township + 3 village = 12 digits.

export type DivisionReason = 'charset' | 'length' | 'province' | 'structure';
export type DivisionLevel = 'province' | 'city' | 'county' | 'township' | 'village';

// The 31 mainland provincial-level divisions (省级行政区).
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
]);

const LEVELS: readonly { level: DivisionLevel; end: number }[] = [
  { level: 'province', end: 2 },
  { level: 'city', end: 4 },
  { level: 'county', end: 6 },
  { level: 'township', end: 9 },
  { level: 'village', end: 12 },
];

const isZero = (part: string) => /^0+$/.test(part);

/** The parts of a 12-digit code, province first. */
function divisionParts(code12: string): string[] {
  return LEVELS.map(({ end }, i) => code12.slice(i === 0 ? 0 : LEVELS[i - 1].end, end));
}

/**
 * Checks a division code of 6, 9 or 12 digits and returns it padded with zeros to 12. A non-zero part
 * under a zero part (city 00 with county 01) is refused as 'structure'.
 */
export function checkDivisionCode(input: string): CheckResult<DivisionReason> {
  const code = input.trim();
  if (!/^\d+$/.test(code)) return fail('charset', 'A division code contains only digits.');
  if (![6, 9, 12].includes(code.length))
    return fail('length', `A division code has 6, 9 or 12 digits; this one has ${code.length}.`);
  const code12 = code.padEnd(12, '0');
  if (!PROVINCE_CODES.has(code12.slice(0, 2)))
    return fail('province', `${code12.slice(0, 2)} is not a province code.`);
  const parts = divisionParts(code12);
  const firstZero = parts.findIndex(isZero);
  if (firstZero !== -1 && !parts.slice(firstZero).every(isZero))
    return fail('structure', `In division code ${code12} a lower level is set under an empty ${LEVELS[firstZero].level} part.`);
  return { ok: true, value: code12 };
}

/** The level of a checked 12-digit division code: the lowest non-zero part. */
export function divisionLevel(code12: string): DivisionLevel {
  const parts = divisionParts(code12);
  let i = parts.length - 1;
  while (i > 0 && isZero(parts[i])) i--;
  return LEVELS[i].level;
}

/** The significant prefix of a checked 12-digit code (2, 4, 6, 9 or 12 digits): codes under it start with it. */
export function divisionPrefix(code12: string): string {
  const level = divisionLevel(code12);
  return code12.slice(0, LEVELS.find((l) => l.level === level)!.end);
}

/** The 12-digit code of the division one level up, or null for a province. */
export function parentDivisionCode(code12: string): string | null {
  const i = LEVELS.findIndex((l) => l.level === divisionLevel(code12));
  return i === 0 ? null : code12.slice(0, LEVELS[i - 1].end).padEnd(12, '0');
}
