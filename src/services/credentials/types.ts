/**
 * The kinds of e-certificate (证照类型) the platform issues: each a `vct` (SD-JWT VC type), a name and
 * the claims it carries besides the holder's own (name, resident ID, birth date, derived ages).
 */
import { DomainError } from '../../kernel/errors.ts';

export interface Label {
  zh: string;
  en: string;
}

export interface CredentialTypeSpec {
  vct: string;
  name: Label;
  /** Claims of this type, in display order; `required` ones must be given at issuance. */
  claims: Record<string, Label & { required: boolean }>;
}

const claim = (zh: string, en: string, required = true) => ({ zh, en, required });

export const credentialTypes = {
  'business-licence': {
    vct: 'urn:yiwang:vct:business-licence:1',
    name: { zh: '营业执照', en: 'Business licence' },
    claims: {
      company_name: claim('名称', 'Company name'),
      uscc: claim('统一社会信用代码', 'Unified social credit code'),
      company_type: claim('类型', 'Type of company'),
      legal_representative: claim('法定代表人', 'Legal representative'),
      registered_capital: claim('注册资本', 'Registered capital', false),
      established_on: claim('成立日期', 'Established on'),
      address: claim('住所', 'Registered address'),
      business_scope: claim('经营范围', 'Business scope', false),
    },
  },
  'residence-certificate': {
    vct: 'urn:yiwang:vct:residence-certificate:1',
    name: { zh: '居住证明', en: 'Residence certificate' },
    claims: {
      address: claim('居住地址', 'Address'),
      division_code: claim('所在区划代码', 'Division code'),
      resident_since: claim('居住起始日期', 'Resident since'),
    },
  },
  'marriage-certificate': {
    vct: 'urn:yiwang:vct:marriage-certificate:1',
    name: { zh: '结婚证', en: 'Marriage certificate' },
    claims: {
      certificate_number: claim('结婚证字号', 'Certificate number'),
      spouse_name: claim('配偶姓名', 'Spouse\'s name'),
      spouse_id_number: claim('配偶身份证号', 'Spouse\'s resident ID', false),
      registered_on: claim('登记日期', 'Registered on'),
      registry: claim('登记机关', 'Registry'),
    },
  },
} as const satisfies Record<string, CredentialTypeSpec>;

export type CredentialType = keyof typeof credentialTypes;

/** 结婚证字号 as registries print it: J, the registry's division (6 digits), the year, a serial of 6 digits. */
export const marriageCertificateNumber = (divisionCode: string, year: string, serial: number) =>
  `J${divisionCode.slice(0, 6)}-${year}-${String(serial % 1_000_000).padStart(6, '0')}`;
export const credentialTypeNames = Object.keys(credentialTypes) as CredentialType[];

/** Claims about the holder that every credential carries, each selectively disclosable. */
export const holderClaims: Record<string, Label> = {
  name: { zh: '姓名', en: 'Name' },
  id_number: { zh: '公民身份号码', en: 'Resident ID' },
  birthdate: { zh: '出生日期', en: 'Date of birth' },
  age_equal_or_over: { zh: '年龄已满', en: 'Age at least' },
};

/** The ages a credential answers "at least N years old?" for, each disclosable alone (as in the EU PID). */
export const ageThresholds = [14, 16, 18, 60, 65] as const;

export function credentialTypeOf(type: string): CredentialTypeSpec {
  const spec = (credentialTypes as Record<string, CredentialTypeSpec>)[type];
  if (!spec) throw new DomainError('credentials.unknown-type', { field: 'type', type }, `unknown credential type ${type}`);
  return spec;
}

export const typeOfVct = (vct: string): CredentialType | undefined =>
  credentialTypeNames.find((name) => credentialTypes[name].vct === vct);

/** A claim's label, for a path like `age_equal_or_over.18` or `company_name`. */
export function claimLabel(type: CredentialType | undefined, path: string): Label {
  const [head, age] = path.split('.');
  if (head === 'age_equal_or_over' && age) return { zh: `年满${age}周岁`, en: `Aged ${age} or over` };
  const own = type ? (credentialTypes[type].claims as Record<string, Label>)[head!] : undefined;
  return own ?? holderClaims[head!] ?? { zh: path, en: path };
}
