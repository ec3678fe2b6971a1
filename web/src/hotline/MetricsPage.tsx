import { useMemo, useState } from 'react';
import { Card, Col, DatePicker, List, Row, Segmented, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { chinaDaysBack, chinaToday } from '../chinaDays';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { api, query, type ApiResponse } from '../api';
import { useLoad } from '../useLoad';
import { Chart, legend, type ChartOption, type ChartSeries } from '../components/Chart';
import { CityMap, type Shapes } from '../map';

type Metrics = ApiResponse<'/hotline/metrics'>;
type MetricsRow = Metrics['rows'][number];
type Overdue = MetricsRow['overdue'];

const rates = ['responseRate', 'resolutionRate', 'satisfactionRate'] as const;
const percent = (x: number | null) => (x === null ? '—' : `${Math.round(x * 1000) / 10}%`);
const overdueCount = (o: Overdue) => o.accept + o.reply + o.resolve;

/** Chart series of the three rates, in percent. */
const rateSeries = (t: TFunction, data: MetricsRow[], type: 'bar' | 'line'): ChartSeries[] => rates.map((rate) => ({
  name: t(`hotline.metrics.${rate}`), type, data: data.map((r) => (r[rate] === null ? null : Math.round(r[rate]! * 1000) / 10)),
}));

/** Fill colours from calm to hot, by this week against the 4-week average. */
function heat(thisWeek: number, average: number): string {
  const ratio = average > 0 ? thisWeek / average : thisWeek > 0 ? 2 : 0;
  return ratio >= 1.5 ? '#cf1322' : ratio >= 1.2 ? '#fa8c16' : ratio >= 0.8 ? '#fadb14' : thisWeek > 0 ? '#95de64' : '#e6f4ff';
}

/** 统计: the three rates by department and by month, the ranking, overdue counts, and this week's hotspots. */
export default function MetricsPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => chinaDaysBack(89));
  const [by, setBy] = useState<'department' | 'division' | 'category'>('department');
  const period = { from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const grouped = useLoad(() => api('GET', `/hotline/metrics${query({ ...period, by })}`), [period.from, period.to, by]);
  const monthly = useLoad(() => api('GET', `/hotline/metrics${query({ ...period, by: 'month' })}`), [period.from, period.to]);
  const hotspots = useLoad(() => api('GET', `/hotline/hotspots${query({ asOf: chinaToday().format('YYYY-MM-DD'), level: 'township' })}`), []);

  // Best first, the busier of equal scores first; rows with too few tickets to rank come last.
  const rows = useMemo(() => [...(grouped.data?.rows ?? [])]
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || b.received - a.received), [grouped.data]);
  // Names of departments are long, so groups run down the side, the best at the top.
  const charted = useMemo(() => rows.slice(0, 15), [rows]);
  const byGroup = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v) => `${String(v)}%` },
    legend,
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    yAxis: { type: 'category', inverse: true, data: charted.map((r) => r.label), axisLabel: { width: 140, overflow: 'truncate' } },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: rateSeries(t, charted, 'bar'),
  }), [charted, t]);
  const byMonth = useMemo<ChartOption>(() => {
    const months = monthly.data?.rows ?? [];
    return {
      tooltip: { trigger: 'axis' },
      legend,
      // The legend names the bars (received), so the right axis needs no title of its own to collide with it.
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((r) => r.label), axisLabel: { hideOverlap: true } },
      yAxis: [{ type: 'value', max: 100, axisLabel: { formatter: '{value}%' } }, { type: 'value', minInterval: 1, splitLine: { show: false } }],
      series: [...rateSeries(t, months, 'line'),
        { name: t('hotline.metrics.received'), type: 'bar', yAxisIndex: 1, data: months.map((r) => r.received), itemStyle: { opacity: 0.35 } }],
    };
  }, [monthly.data, t]);

  const coloured = useMemo<Shapes | undefined>(() => hotspots.data && {
    type: 'FeatureCollection',
    features: hotspots.data.features.map((f) => ({ ...f, properties: { ...f.properties, fill: heat(f.properties.thisWeek, f.properties.weeklyAverage) } })),
  }, [hotspots.data]);
  const rising = hotspots.data?.features.filter((f) => f.properties.rising).sort((a, b) => (b.properties.rise ?? 0) - (a.properties.rise ?? 0)) ?? [];
  const total = grouped.data?.total;
  const overdue = total ? overdueCount(total.overdue) : 0;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space wrap size={16}>
          <DatePicker.RangePicker value={range} allowClear={false} onChange={(v) => v?.[0] && v[1] && setRange([v[0], v[1]])} />
          <Segmented value={by} onChange={setBy} options={(['department', 'division', 'category'] as const).map((b) => ({ value: b, label: t(`hotline.metrics.by.${b}`) }))} />
          <Statistic title={t('hotline.metrics.received')} value={total?.received ?? 0} data-testid="metrics-total" />
          <Statistic title={t('hotline.metrics.responseRate')} value={percent(total?.responseRate ?? null)} />
          <Statistic title={t('hotline.metrics.resolutionRate')} value={percent(total?.resolutionRate ?? null)} />
          <Statistic title={t('hotline.metrics.satisfactionRate')} value={percent(total?.satisfactionRate ?? null)} />
          <Statistic title={t('hotline.metrics.overdue')} value={overdue} styles={{ content: { color: overdue ? '#cf1322' : undefined } }} />
        </Space>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}><Card title={t('hotline.metrics.ratesBy', { by: t(`hotline.metrics.by.${by}`) })} loading={grouped.loading && !grouped.data}>
          <Chart option={byGroup} height={Math.max(320, 48 + charted.length * 30)} testId="chart-by-group" /></Card></Col>
        <Col xs={24} xl={12}><Card title={t('hotline.metrics.ratesByMonth')} loading={monthly.loading && !monthly.data}>
          <Chart option={byMonth} testId="chart-by-month" /></Card></Col>
      </Row>
      <Card title={t('hotline.metrics.ranking')}>
        <Table<MetricsRow> rowKey="key" size="small" dataSource={rows} loading={grouped.loading} pagination={{ pageSize: 10 }} scroll={{ x: 'max-content' }}
          data-testid="ranking" columns={[
            { key: 'rank', title: t('hotline.metrics.rank'), width: 64, render: (_, r) => r.rank
              ?? (r.score !== null && r.received < grouped.data!.minReceived
                ? <Tooltip title={t('hotline.metrics.tooFewToRank', { count: grouped.data!.minReceived })}><Tag>{t('hotline.metrics.unranked')}</Tag></Tooltip> : '—') },
            { key: 'label', title: t(`hotline.metrics.by.${by}`), dataIndex: 'label' },
            { key: 'received', title: t('hotline.metrics.received'), dataIndex: 'received' },
            ...rates.map((rate) => ({ key: rate, title: t(`hotline.metrics.${rate}`), render: (_: unknown, r: MetricsRow) => percent(r[rate]) })),
            { key: 'score', title: t('hotline.metrics.score'), render: (_, r) => (r.score === null ? '—' : r.score.toFixed(1)) },
            { key: 'hours', title: t('hotline.metrics.avgHandlingHours'), render: (_, r) => (r.avgHandlingHours === null ? '—' : r.avgHandlingHours.toFixed(1)) },
            { key: 'overdue', title: t('hotline.metrics.overdue'), render: (_, r) => (overdueCount(r.overdue)
              ? <Tag color="red">{t('hotline.metrics.overdueSplit', { ...r.overdue })}</Tag> : 0) },
          ]} />
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card title={t('hotline.metrics.hotspots')} styles={{ body: { padding: 0 } }} extra={<Legend />}>
            <CityMap shapes={coloured} height={420} testId="hotspot-map" />
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card title={t('hotline.metrics.rising')} data-testid="rising">
            <List size="small" dataSource={rising} locale={{ emptyText: t('hotline.metrics.noneRising') }} renderItem={(f) => (
              <List.Item>
                <List.Item.Meta title={<Space>{f.properties.name}{f.properties.rise !== null && <Tag color="red">×{f.properties.rise.toFixed(1)}</Tag>}</Space>}
                  description={<>
                    <div>{t('hotline.metrics.weekVsAverage', { week: f.properties.thisWeek, average: f.properties.weeklyAverage.toFixed(1) })}</div>
                    {f.properties.topCategories?.length ? <Typography.Text type="secondary">{f.properties.topCategories.map((c) => `${c.name} ${c.thisWeek}`).join('、')}</Typography.Text> : null}
                  </>} />
              </List.Item>)} />
            {hotspots.data && hotspots.data.categories.length > 0 && (
              <>
                <Typography.Title level={5} style={{ marginTop: 16 }}>{t('hotline.metrics.risingCategories')}</Typography.Title>
                <List size="small" dataSource={hotspots.data.categories} renderItem={(c) => (
                  <List.Item>
                    <List.Item.Meta title={c.name} description={t('hotline.metrics.weekVsAverage', { week: c.thisWeek, average: c.weeklyAverage.toFixed(1) })} />
                  </List.Item>)} />
              </>
            )}
          </Card>
        </Col>
      </Row>
    </Space>
  );
}

function Legend() {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {[['#cf1322', 'hot'], ['#fa8c16', 'warm'], ['#fadb14', 'usual'], ['#95de64', 'calm']].map(([color, key]) => (
        <Tag key={key} color={color}>{t(`hotline.metrics.heat.${key}`)}</Tag>
      ))}
    </Space>
  );
}
