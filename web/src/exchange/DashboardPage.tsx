import { useMemo, useState } from 'react';
import { Card, Col, DatePicker, Empty, Row, Statistic, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { chinaDaysBack } from '../chinaDays';
import { useTranslation } from 'react-i18next';
import { api, query } from '../api';
import { Chart, legend, type ChartOption } from '../components/Chart';
import { useLoad } from '../useLoad';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

function ranking(rows: { name: string; calls: number }[], label: string): ChartOption {
  const sorted = [...rows].reverse();
  return {
    tooltip: { trigger: 'axis' }, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    // Department and resource names are long: cut to a width that leaves the bars room in a third of the page.
    xAxis: { type: 'value', minInterval: 1, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'category', data: sorted.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    series: [{ type: 'bar', name: label, data: sorted.map((r) => r.calls), barMaxWidth: 28, itemStyle: { color: '#1677ff' } }],
  };
}

/** 共享看板: calls over time, refusals and errors, requests and usage; the hub's figures for administrators, a department's own otherwise. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => chinaDaysBack(89));
  const data = useLoad(() => api('GET', `/hub/dashboard${query({ from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') })}`), [range]);
  const d = data.data;
  const trend = useMemo<ChartOption | null>(() => (d ? {
    tooltip: { trigger: 'axis' }, legend, grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: d.days.map((x) => x.day), axisLabel: { hideOverlap: true } }, yAxis: { type: 'value', minInterval: 1 },
    series: [
      { type: 'bar', stack: 'calls', barMaxWidth: 24, name: t('hubx.answered'), data: d.days.map((x) => x.answered), itemStyle: { color: '#52c41a' } },
      { type: 'bar', stack: 'calls', barMaxWidth: 24, name: t('hubx.refusedCalls'), data: d.days.map((x) => x.refused), itemStyle: { color: '#faad14' } },
      { type: 'bar', stack: 'calls', barMaxWidth: 24, name: t('hubx.errors'), data: d.days.map((x) => x.errors), itemStyle: { color: '#ff4d4f' } },
    ],
  } : null), [d, t]);

  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card title={t('hubx.dashboardTitle')} loading={data.loading && !d}
          extra={<DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v && setRange(v as [Dayjs, Dayjs])} />}>
          {d && <Row gutter={[16, 16]} data-testid="kpis">
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.calls')} value={d.totals.calls} /></Col>
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.refusedCalls')} value={d.totals.refused} /></Col>
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.errors')} value={d.totals.errors} /></Col>
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.overdueRequests')} value={d.requests.overdue + d.requests.escalated} /></Col>
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.satisfaction')} value={percent(d.requests.satisfactionRate)} /></Col>
            <Col xs={12} md={8} xl={4}><Statistic title={t('hubx.usageRate')} value={percent(d.usage.rate)} suffix={<Tag>{d.usage.used}/{d.usage.published}</Tag>} /></Col>
          </Row>}
        </Card>
      </Col>
      {d && d.totals.calls === 0 && <Col span={24}><Card><Empty description={t('hubx.noCalls')} /></Card></Col>}
      {d && d.totals.calls > 0 && trend && <>
        <Col span={24}><Card title={t('hubx.callsPerDay')}><Chart option={trend} height={280} testId="trend" /></Card></Col>
        <Col xs={24} lg={8}><Card title={t('hubx.topResources')}><Chart option={ranking(d.topResources, t('hubx.calls'))} height={280} testId="resources" /></Card></Col>
        <Col xs={24} lg={8}><Card title={t('hubx.byProvider')}><Chart option={ranking(d.byProvider, t('hubx.calls'))} height={280} testId="providers" /></Card></Col>
        <Col xs={24} lg={8}><Card title={t('hubx.byConsumer')}><Chart option={ranking(d.byConsumer, t('hubx.calls'))} height={280} testId="consumers" /></Card></Col>
      </>}
    </Row>
  );
}
