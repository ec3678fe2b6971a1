/**
 * The fields a base library matches on and how each kind of field is cleaned and compared. A schema is data,
 * so the plain-file command can build one from a column mapping and the module can build one per library.
 */

/** How a field is cleaned and which comparison levels it has. */
export type FieldType =
  | 'name' // person or organisation name: 繁体→简体, width, spaces; compared exactly, by pinyin and by edit distance
  | 'text' // free text (employer, street line): compared exactly and by Jaro-Winkler
  | 'date' // any common Chinese or numeric date format; compared exactly, day/month transposed, one digit off, within a year
  | 'id_number' // 公民身份号码 (GB 11643), check digit verified; equal or one character off
  | 'uscc' // 统一社会信用代码 (GB 32100), check digit verified; equal or one character off
  | 'phone' // mainland mobile or fixed line, digits only
  | 'address' // parsed against the division tree into division code + street + number
  | 'code' // any other identifier or number (postcode, street number, social security number)
  | 'category'; // a small closed set (sex, state, status, industry)

export interface FieldSpec {
  name: string;
  type: FieldType;
  /** Several values in one cell, separated by 、 ; ， , or / (曾用名). */
  multi?: boolean;
  /** A name field whose value may appear in this field of the other record (a former name, a swapped given name). */
  alternates?: readonly string[];
  /** A valid value identifies one entity: equal ⇒ match (deterministic rule), different ⇒ never one entity. */
  identifying?: boolean;
  /** The value's frequency weakens or strengthens an exact agreement (王伟 weakly, 欧阳翠花 strongly). */
  termFrequency?: boolean;
}

export interface LibrarySchema {
  library: string;
  fields: readonly FieldSpec[];
}

export const personSchema: LibrarySchema = {
  library: 'person',
  fields: [
    { name: 'name', type: 'name', alternates: ['former_names'], termFrequency: true },
    { name: 'former_names', type: 'name', multi: true, alternates: ['name'] },
    { name: 'sex', type: 'category' },
    { name: 'birth_date', type: 'date' },
    { name: 'id_number', type: 'id_number', identifying: true },
    { name: 'phone', type: 'phone' },
    { name: 'address', type: 'address' },
    { name: 'hukou', type: 'address' },
    { name: 'employer', type: 'text', termFrequency: true },
  ],
};

export const companySchema: LibrarySchema = {
  library: 'company',
  fields: [
    { name: 'name', type: 'name', termFrequency: true },
    { name: 'uscc', type: 'uscc', identifying: true },
    { name: 'legal_rep', type: 'name', termFrequency: true },
    { name: 'address', type: 'address' },
    { name: 'industry', type: 'category' },
    { name: 'status', type: 'category' },
  ],
};

export const librarySchemas = { person: personSchema, company: companySchema } as const;
export type LibraryName = keyof typeof librarySchemas;

/** The comparison levels of each field type, most agreeing first; the last one is "different". */
export const comparisonLevels: Readonly<Record<FieldType, readonly string[]>> = {
  name: ['exact', 'alternate', 'pinyin', 'one-edit', 'similar', 'different'],
  text: ['exact', 'close', 'similar', 'different'],
  date: ['exact', 'transposed', 'one-digit', 'within-year', 'different'],
  id_number: ['exact', 'one-off', 'different'],
  uscc: ['exact', 'one-off', 'different'],
  phone: ['exact', 'one-off', 'different'],
  address: ['exact', 'same-street', 'close', 'same-county', 'different'],
  code: ['exact', 'one-off', 'different'],
  category: ['exact', 'different'],
};
