import { useState } from 'react';
import { Card, DatePicker, Table, Tabs } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { useLoad } from '../useLoad';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

/** 案件考评: a month's on-time, rework and 核查 pass rates of the units, areas and patrol workers. */
export default function EvaluationPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(dayjs().format('YYYY-MM'));
  const data = useLoad(() => api('GET', `/cityops/case-evaluation${query({ month })}`), [month]);
  const rates = [
    { title: t('cityops.evaluation.handled'), dataIndex: 'handled' },
    { title: t('cityops.evaluation.onTimeRate'), dataIndex: 'onTimeRate', render: pct },
    { title: t('cityops.evaluation.reworkRate'), dataIndex: 'reworkRate', render: pct },
    { title: t('cityops.evaluation.checkPassRate'), dataIndex: 'checkPassRate', render: pct },
  ];
  return (
    <Card title={t('cityops.evaluation.title')} extra={<DatePicker picker="month" allowClear={false} value={dayjs(`${month}-01`)} onChange={(d) => d && setMonth(d.format('YYYY-MM'))} />}>
      <Tabs items={[
        { key: 'units', label: t('cityops.evaluation.units'), children: (
          <Table rowKey="departmentId" size="small" loading={data.loading} dataSource={data.data?.units ?? []} pagination={false} columns={[
            { title: t('cityops.cases.unit'), dataIndex: 'departmentName' }, { title: t('cityops.evaluation.dispatched'), dataIndex: 'dispatched' }, ...rates]} />) },
        { key: 'areas', label: t('cityops.evaluation.areas'), children: (
          <Table rowKey="divisionCode" size="small" loading={data.loading} dataSource={data.data?.areas ?? []} pagination={false} columns={[
            { title: t('cityops.cases.place'), dataIndex: 'divisionName' }, { title: t('cityops.evaluation.opened'), dataIndex: 'opened' },
            { title: t('cityops.evaluation.closed'), dataIndex: 'closed' }, ...rates]} />) },
        { key: 'workers', label: t('cityops.evaluation.workers'), children: (
          <Table rowKey="userId" size="small" loading={data.loading} dataSource={data.data?.workers ?? []} pagination={false} columns={[
            { title: t('cityops.evaluation.worker'), dataIndex: 'name' }, { title: t('cityops.evaluation.reports'), dataIndex: 'reports' },
            { title: t('cityops.evaluation.filedRate'), dataIndex: 'filedRate', render: pct }, { title: t('cityops.evaluation.checks'), dataIndex: 'checks' },
            { title: t('cityops.evaluation.onTimeRate'), dataIndex: 'onTimeRate', render: pct }]} />) },
      ]} />
    </Card>
  );
}
