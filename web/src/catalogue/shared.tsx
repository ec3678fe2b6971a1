import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ApiItem, ApiResponse } from '../api';

type Field = ApiItem<'/hub/resources/{code}/fields'>;

/** An entry as the API shows it: lists leave out the fields and abilities. */
export type Entry = ApiItem<'/hub/resources'> & Partial<Pick<ApiResponse<'/hub/resources/{code}'>, 'fields' | 'abilities'>>;

type CataloguePage = ApiResponse<'/hub/resources'>;
export type Facet = CataloguePage['facets']['provider'][number];
export type LoadReport = ApiResponse<'/hub/resources/{code}/rows', 'POST'>;
type RowError = LoadReport['errors'][number];

const gradeColour = { general: 'green', important: 'orange', core: 'red' } as const;
const statusColour = { draft: 'default', review: 'processing', published: 'success', retired: 'warning' } as const;

export function GradeTag({ grade, level }: { grade: Field['sensitivity']; level?: string }) {
  const { t } = useTranslation();
  return <Tag color={gradeColour[grade]}>{t(`hub.sensitivity.${grade}`)}{level ? ` · ${level}` : ''}</Tag>;
}

export function StatusTag({ status }: { status: Entry['status'] }) {
  const { t } = useTranslation();
  return <Tag color={statusColour[status]}>{t(`hub.status.${status}`)}</Tag>;
}

/** The fields (信息项) of an entry with their grades and masking. */
export function FieldTable({ fields }: { fields: Field[] }) {
  const { t } = useTranslation();
  return (
    <Table<Field> size="small" rowKey="code" pagination={false} dataSource={fields} scroll={{ x: true }} columns={[
      { title: t('hub.field.code'), dataIndex: 'code' },
      { title: t('hub.field.name'), dataIndex: 'name' },
      { title: t('hub.field.type'), dataIndex: 'type', render: (v: string, f) => `${t(`hub.type.${v}`)}${f.length ? `(${f.length})` : ''}` },
      { title: t('hub.field.sensitivity'), dataIndex: 'sensitivity', render: (v: Field['sensitivity'], f) => <GradeTag grade={v} level={f.level} /> },
      { title: t('hub.field.masking'), dataIndex: 'masking', render: (v: string) => t(`hub.masking.${v}`) },
    ]} />
  );
}

/** The per-row report of an import: row, field and reason of each bad row. */
export function LoadReportView({ report }: { report: LoadReport }) {
  const { t } = useTranslation();
  return (
    <>
      <p data-testid="load-summary">{t('hub.import.summary', { total: report.total, loaded: report.loaded, failed: report.failed })}</p>
      {report.errors.length > 0 && (
        <Table<RowError> size="small" rowKey={(e) => `${e.row}/${e.field}/${e.code}`} pagination={{ pageSize: 10 }} dataSource={report.errors} columns={[
          { title: t('hub.import.row'), dataIndex: 'row', width: 80 },
          { title: t('hub.field.code'), dataIndex: 'field' },
          { title: t('hub.import.reason'), dataIndex: 'code', render: (v: string) => t(`hub.reason.${v}`, { defaultValue: v }) },
          { title: t('hub.import.message'), dataIndex: 'message' },
        ]} />
      )}
    </>
  );
}
