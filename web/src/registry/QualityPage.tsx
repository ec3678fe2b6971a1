import { useMemo, useState } from 'react';
import { Card, Col, Empty, Flex, Progress, Row, Segmented, Space, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiItem } from '../api';
import { chinaTime } from '../exchange/format';
import { Chart, legend, type ChartOption } from '../components/Chart';
import { useLoad } from '../useLoad';
import { fieldLabel, libraryNames, type LibraryName } from './common';

type SourceQuality = ApiItem<'/registry/quality'>;

/** The counts of each load of a source, as a trend. */
function Trend({ source }: { source: SourceQuality }) {
  const { t, i18n } = useTranslation();
  const option = useMemo((): ChartOption => {
    const keys = ['read', 'findings', 'pairs', 'review'] as const;
    return {
      tooltip: { trigger: 'axis' }, legend, grid: { left: 8, right: 12, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: source.loads.map((l) => chinaTime(l.startedAt, i18n.language)) },
      yAxis: { type: 'value' },
      series: keys.map((k) => ({ type: 'line', name: t(`registry.trend.${k}`), data: source.loads.map((l) => l.counts[k] ?? 0) })),
    };
  }, [source, t, i18n.language]);
  return <Chart option={option} height={200} />;
}

/** 质量看板: per source, duplicates, links to other sources, conflicts by field, completeness, check-digit failures and the trend per load. */
export default function QualityPage() {
  const { t } = useTranslation();
  const [library, setLibrary] = useState<LibraryName>('people');
  const board = useLoad(() => api('GET', `/registry/quality${query({ library })}`), [library]);
  return (
    <Card title={t('registry.qualityTitle')} loading={board.loading}>
      <Segmented value={library} onChange={(v) => setLibrary(v as LibraryName)} style={{ marginBottom: 16 }}
        options={libraryNames.map((l) => ({ value: l, label: t(`registry.libraries.${l}`) }))} />
      {(board.data?.items ?? []).length === 0 && <Empty />}
      <Flex vertical gap={16}>
        {(board.data?.items ?? []).map((s) => (
          <Card key={s.sourceId} type="inner" title={t('registry.q.sourceTitle', { name: s.resourceName, provider: s.providerName })} data-testid="source-quality">
            <Row gutter={[16, 16]}>
              <Col xs={12} md={4}><Statistic title={t('registry.q.records')} value={s.records} /></Col>
              <Col xs={12} md={5}><Statistic title={t('registry.q.duplicates')} value={s.duplicates} /></Col>
              <Col xs={12} md={5}><Statistic title={t('registry.q.linked')} value={s.linked} /></Col>
              <Col xs={12} md={5}><Statistic title={t('registry.q.checkDigit')} value={s.checkDigitFailures} /></Col>
              <Col xs={12} md={5}><Statistic title={t('registry.q.conflicts')} value={s.conflicts.reduce((n, c) => n + c.entities, 0)} /></Col>
            </Row>
            <Row gutter={[24, 16]} style={{ marginTop: 16 }}>
              <Col xs={24} md={8}>
                <Typography.Title level={5}>{t('registry.q.completeness')}</Typography.Title>
                {s.completeness.map((c) => (
                  <Flex key={c.field} gap={8} align="center">
                    <span style={{ width: 96, flex: 'none' }}>{fieldLabel(t, library, c.field)}</span>
                    <Progress percent={Math.round(c.share * 100)} size="small" />
                  </Flex>))}
              </Col>
              <Col xs={24} md={8}>
                <Typography.Title level={5}>{t('registry.q.conflictsByField')}</Typography.Title>
                <Space wrap>{s.conflicts.length === 0 ? <Typography.Text type="secondary">{t('registry.q.none')}</Typography.Text>
                  : s.conflicts.map((c) => <Tag key={c.field} color="orange">{fieldLabel(t, library, c.field)} · {c.entities}</Tag>)}</Space>
                <Typography.Title level={5} style={{ marginTop: 12 }}>{t('registry.q.findings')}</Typography.Title>
                <Space wrap>{s.findings.length === 0 ? <Typography.Text type="secondary">{t('registry.q.none')}</Typography.Text>
                  : s.findings.map((f) => <Tag key={f.code} color="red">{t(`registry.findingCodes.${f.code}`, { defaultValue: f.code })} · {f.count}</Tag>)}</Space>
              </Col>
              <Col xs={24} md={8}>
                <Typography.Title level={5}>{t('registry.q.trend')}</Typography.Title>
                <Trend source={s} />
              </Col>
            </Row>
          </Card>
        ))}
      </Flex>
    </Card>
  );
}
