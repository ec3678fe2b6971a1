/**
 * The base libraries (基础库) and their fields: what a source maps its columns to. A source must map every
 * mandatory field; the others it maps when it holds them.
 */
export const libraries = ['people', 'companies'] as const;
export type Library = (typeof libraries)[number];

export interface LibraryField {
  code: string;
  zh: string;
  en: string;
  mandatory?: boolean;
}

export const libraryFields: Record<Library, readonly LibraryField[]> = {
  // 人口库
  people: [
    { code: 'name', zh: '姓名', en: 'Name', mandatory: true },
    { code: 'former_names', zh: '曾用名', en: 'Former names' },
    { code: 'sex', zh: '性别', en: 'Sex' },
    { code: 'birth_date', zh: '出生日期', en: 'Date of birth' },
    { code: 'id_number', zh: '公民身份号码', en: 'Resident ID', mandatory: true },
    { code: 'phone', zh: '联系电话', en: 'Phone' },
    { code: 'address', zh: '住址', en: 'Address' },
    { code: 'hukou', zh: '户籍地', en: 'Registered residence (hukou)' },
    { code: 'employer', zh: '工作单位', en: 'Employer' },
  ],
  // 法人库
  companies: [
    { code: 'name', zh: '名称', en: 'Name', mandatory: true },
    { code: 'uscc', zh: '统一社会信用代码', en: 'Unified social credit code', mandatory: true },
    { code: 'legal_rep', zh: '法定代表人', en: 'Legal representative' },
    { code: 'address', zh: '住所', en: 'Address' },
    { code: 'industry', zh: '行业', en: 'Industry' },
    { code: 'status', zh: '登记状态', en: 'Status' },
  ],
};

/** The identifier field of a library: a valid value of it names the subject of the golden record. */
export const subjectField: Record<Library, string> = { people: 'id_number', companies: 'uscc' };

export const libraryNames: Record<Library, { zh: string; en: string }> = {
  people: { zh: '人口库', en: 'Population library' },
  companies: { zh: '法人库', en: 'Legal-entity library' },
};
