/**
 * The subject classification of the catalogue (资源分类): the 项 of an entry's code (the two digits after its
 * 类 letter: A01-… is 项 01) names its subject, the same under 基础 (A), 主题 (B) and 部门 (C) resources. Each
 * subject is mapped to the EU data-theme vocabulary for DCAT-AP and is a CKAN group under its `slug`.
 */

export interface Theme {
  /** 项: two digits. */
  item: string;
  slug: string;
  name: string;
  nameEn: string;
  /** Code in the EU data-theme vocabulary (http://publications.europa.eu/resource/authority/data-theme). */
  eu: 'AGRI' | 'ECON' | 'EDUC' | 'ENER' | 'ENVI' | 'GOVE' | 'HEAL' | 'INTR' | 'JUST' | 'REGI' | 'SOCI' | 'TECH' | 'TRAN';
}

export const themes: readonly Theme[] = [
  { item: '01', slug: 'population', name: '人口与户籍', nameEn: 'Population and household registration', eu: 'SOCI' },
  { item: '02', slug: 'market-entities', name: '市场主体与市场监管', nameEn: 'Businesses and market regulation', eu: 'ECON' },
  { item: '03', slug: 'civil-affairs', name: '民政与社会服务', nameEn: 'Civil affairs and social services', eu: 'SOCI' },
  { item: '04', slug: 'employment-social-security', name: '就业与社会保障', nameEn: 'Employment and social security', eu: 'SOCI' },
  { item: '05', slug: 'health', name: '卫生健康', nameEn: 'Health', eu: 'HEAL' },
  { item: '06', slug: 'housing-construction', name: '住房与城乡建设', nameEn: 'Housing and construction', eu: 'REGI' },
  { item: '07', slug: 'natural-resources', name: '自然资源与规划', nameEn: 'Natural resources and planning', eu: 'ENVI' },
  { item: '08', slug: 'education-sport', name: '教育与体育', nameEn: 'Education and sport', eu: 'EDUC' },
  { item: '09', slug: 'medical-security', name: '医疗保障', nameEn: 'Medical insurance', eu: 'HEAL' },
  { item: '10', slug: 'transport', name: '交通运输', nameEn: 'Transport', eu: 'TRAN' },
  { item: '11', slug: 'ecology-environment', name: '生态环境', nameEn: 'Environment', eu: 'ENVI' },
  { item: '12', slug: 'emergency-safety', name: '应急管理与安全生产', nameEn: 'Emergencies and work safety', eu: 'JUST' },
  { item: '13', slug: 'urban-management', name: '城市管理', nameEn: 'Urban management', eu: 'REGI' },
  { item: '14', slug: 'water', name: '水务', nameEn: 'Water', eu: 'ENVI' },
  { item: '15', slug: 'government-services', name: '政务服务', nameEn: 'Government services', eu: 'GOVE' },
  { item: '16', slug: 'public-hotline', name: '政务热线', nameEn: 'Public service hotline', eu: 'GOVE' },
  { item: '17', slug: 'administrative-approval', name: '行政审批', nameEn: 'Administrative licensing', eu: 'GOVE' },
  { item: '18', slug: 'integrity-supervision', name: '纪检监察', nameEn: 'Integrity and supervision', eu: 'JUST' },
];

const byItem = new Map(themes.map((t) => [t.item, t]));
const bySlug = new Map(themes.map((t) => [t.slug, t]));

/** The subject of an entry by its code; null for a 项 outside the classification. */
export const themeOfCode = (code: string): Theme | null => byItem.get(code.slice(1, 3)) ?? null;

export const themeBySlug = (slug: string): Theme | null => bySlug.get(slug) ?? null;

export const themeByItem = (item: string): Theme | null => byItem.get(item) ?? null;
