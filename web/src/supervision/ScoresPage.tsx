import { useState } from 'react';
import { App, Button, Card, Flex, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';

type Row = ApiResponse<'/supervision/scores'>['rows'][number];
type Weights = ApiResponse<'/supervision/weights'>['weights'];
const components = ['tasks', 'hotline', 'ratings', 'problems'] as const;

/** The last twelve months, China time, newest first. */
function recentMonths(): string[] {
  const now = new Date(Date.now() + 8 * 3_600_000);
  return Array.from({ length: 12 }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return d.toISOString().slice(0, 7);
  });
}

/** 督考排名: each department's monthly score with the formula that computed it beside it; the 督查室 sets the weights. */
export default function ScoresPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const months = recentMonths();
  const [month, setMonth] = useState(months[0]!);
  const [weights, setWeights] = useState<Weights | null>(null);
  const [filter, setFilter] = useState('');
  const scores = useLoad(() => api('GET', `/supervision/scores${query({ month })}`), [month]);
  const lang = i18n.language === 'en' ? 'en' : 'zh';
  const rate = (v: number | null) => (v === null ? '—' : v.toFixed(1));
  const editing = weights ?? scores.data?.weights;

  const saveWeights = async () => {
    if (!weights) return;
    try {
      await api('PUT', '/supervision/weights', weights);
      void message.success(t('supervision.done'));
      setWeights(null);
      scores.reload();
    } catch (error) {
      void message.error(problemText(error));
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card size="small" title={t('supervision.scores.title')} extra={
        <Flex gap={8} wrap>
          <Input.Search allowClear placeholder={t('supervision.scores.find')} aria-label={t('supervision.scores.find')} onSearch={setFilter}
            onChange={(e) => { if (!e.target.value) setFilter(''); }} style={{ width: 200 }} />
          <Select value={month} onChange={setMonth} style={{ width: 130 }} aria-label={t('supervision.scores.month')} options={months.map((m) => ({ value: m, label: m }))} />
        </Flex>}>
        <div style={{ marginBottom: 12 }}>
          <div style={{ color: '#888' }}>{t('supervision.scores.formula')}</div>
          <code className="supervision-formula" style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}>{t('supervision.scores.score')} = {scores.data?.formula[lang]}</code>
          <div style={{ color: '#888', marginTop: 4 }}>{t('supervision.scores.formulaNote')}</div>
        </div>
        {can('supervision.score.weights') && editing && (
          <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
            {components.map((c) => (
              <Space key={c} size={4}>
                <span>{t(`supervision.scores.components.${c}`)}</span>
                <InputNumber min={0} max={100} value={editing[c]} aria-label={t(`supervision.scores.components.${c}`)}
                  onChange={(v) => setWeights({ ...editing, [c]: v ?? 0 })} style={{ width: 70 }} />
              </Space>
            ))}
            <Button type="primary" disabled={!weights} onClick={() => void saveWeights()}>{t('supervision.scores.saveWeights')}</Button>
          </Flex>
        )}
        <Table<Row> rowKey={(r) => r.department.id} size="small" loading={scores.loading} dataSource={(scores.data?.rows ?? []).filter((r) => r.department.name.includes(filter.trim()))}
          pagination={{ pageSize: 50 }} scroll={{ x: 1000 }}
          columns={[
            { title: t('supervision.scores.rank'), dataIndex: 'rank', width: 70, render: (v: number | null) => (v === null ? '—' : v <= 3 ? <Tag color="gold">{v}</Tag> : v) },
            { title: t('supervision.problem.department'), width: 170, render: (_, r) => r.department.name },
            ...components.map((c) => ({ title: t(`supervision.scores.components.${c}`), width: 105, render: (_: unknown, r: Row) => rate(r.rates[c]) })),
            { title: t('supervision.scores.scoreAndFormula'), width: 360, render: (_, r) => (
              <div>
                <strong>{r.score === null ? '—' : r.score.toFixed(2)}</strong>
                <div><code className="supervision-formula" style={{ fontSize: 12, whiteSpace: 'normal', wordBreak: 'break-word' }}>{r.formula[lang]}</code></div>
              </div>) },
          ]} />
      </Card>
    </Space>
  );
}
