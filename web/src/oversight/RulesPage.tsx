import { useState } from 'react';
import { App, Button, Card, Descriptions, Flex, Input, InputNumber, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ApiProblem, type ApiItem, type ApiResponse } from '../api';
import { useLoad } from '../useLoad';
import { ruleName, SeverityTag } from './common';

type Rule = ApiItem<'/oversight/rules'>;
type Version = Rule['versions'][number];
type DryRun = ApiResponse<'/oversight/rules/{id}/test', 'POST'>;

/** 规则库: each rule with its versions; a version is dry-run over history before it is activated; an edit is a new version. */
export default function RulesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const rules = useLoad(() => api('GET', '/oversight/rules'), []);
  const [days, setDays] = useState(30);
  const [dry, setDry] = useState<{ rule: number; version: number; result: DryRun }>();
  const [editing, setEditing] = useState<{ rule: Rule; version: Version; definition: string; severity: 'red' | 'yellow' }>();
  const fail = (error: unknown) => void message.error(error instanceof ApiProblem ? `${error.title}${error.detail ? `：${error.detail}` : ''}` : String(error));

  const test = async (rule: Rule, version: number) => {
    try {
      setDry({ rule: rule.id, version, result: await api('POST', `/oversight/rules/${rule.id}/test`, { version, days }) });
      rules.reload();
    } catch (error) { fail(error); }
  };
  const activate = async (rule: Rule, version: number | null) => {
    try {
      await api('POST', `/oversight/rules/${rule.id}/activate`, { version });
      rules.reload();
    } catch (error) { fail(error); }
  };
  const save = async () => {
    if (!editing) return;
    const v = editing.version;
    try {
      await api('POST', `/oversight/rules/${editing.rule.id}/versions`, { nameZh: v.nameZh, nameEn: v.nameEn, rationale: v.rationale, legalBasis: v.legalBasis,
        severity: editing.severity, scope: v.scope, definition: editing.definition });
      setEditing(undefined);
      rules.reload();
    } catch (error) { fail(error); }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('oversight.rules.title')}</Typography.Title>
        <Space>{t('oversight.rules.days')}<InputNumber min={1} max={90} value={days} onChange={(v) => setDays(v ?? 30)} /></Space>
      </Flex>
      <Table<Rule> rowKey="id" size="small" loading={rules.loading} dataSource={rules.data?.items ?? []} pagination={false}
        expandable={{ expandedRowRender: (rule) => (
          <Space orientation="vertical" style={{ width: '100%' }}>
            {rule.versions.map((v) => (
              <Card key={v.id} size="small" title={<Space>v{v.version}{rule.activeVersion === v.version && <Tag color="green">{t('oversight.rules.active')}</Tag>}</Space>}
                extra={<Space wrap>
                  <Button size="small" onClick={() => void test(rule, v.version)}>{t('oversight.rules.test')}</Button>
                  {rule.activeVersion !== v.version && <Button size="small" type="primary" onClick={() => void activate(rule, v.version)}>{t('oversight.rules.activate')}</Button>}
                  {rule.activeVersion === v.version && <Button size="small" onClick={() => void activate(rule, null)}>{t('oversight.rules.deactivate')}</Button>}
                  <Button size="small" onClick={() => setEditing({ rule, version: v, definition: JSON.stringify(v.definition, null, 2), severity: v.severity })}>{t('oversight.rules.edit')}</Button>
                </Space>}>
                <Descriptions size="small" column={1} items={[
                  { key: 'rationale', label: t('oversight.rationale'), children: v.rationale },
                  { key: 'basis', label: t('oversight.legalBasis'), children: v.legalBasis },
                  { key: 'scope', label: t('oversight.rules.scope'), children: v.scope },
                  { key: 'definition', label: t('oversight.rules.definition'), children: <Typography.Text code style={{ wordBreak: 'break-all' }}>{JSON.stringify(v.definition)}</Typography.Text> },
                  { key: 'tested', label: t('oversight.rules.tested'), children: dry && dry.rule === rule.id && dry.version === v.version
                    ? <Typography.Text data-testid="dry-run" type="success">{t('oversight.rules.testedResult', dry.result)}</Typography.Text>
                    : v.tested ? t('oversight.rules.testedResult', v.tested) : t('oversight.rules.untested') },
                ]} />
              </Card>
            ))}
          </Space>
        ) }}
        columns={[
          { title: t('oversight.rule'), render: (_, r) => <><SeverityTag severity={r.versions[0]!.severity} />{ruleName(r.versions[0]!, i18n.language)}</> },
          { title: t('oversight.rules.scope'), render: (_, r) => r.versions[0]!.scope },
          { title: t('oversight.rules.running'), width: 90, render: (_, r) => (r.activeVersion ? `v${r.activeVersion}` : <Tag>{t('oversight.rules.off')}</Tag>) },
          { title: t('oversight.rules.feedback'), render: (_, r) => (
            <span>{t('oversight.rules.feedbackText', r.feedback)}{r.feedback.suggestion && <Tag color="orange" style={{ marginLeft: 8 }}>
              {t('oversight.rules.suggest', { parameter: r.feedback.suggestion.parameter, value: r.feedback.suggestion.value })}</Tag>}</span>) },
        ]} />
      <Modal open={!!editing} width={720} title={t('oversight.rules.edit')} onCancel={() => setEditing(undefined)} onOk={() => void save()}
        okText={t('oversight.rules.saveVersion')} cancelText={t('oversight.cancel')}>
        {editing && (
          <Flex vertical gap={8}>
            <Typography.Text type="secondary">{t('oversight.rules.editNote')}</Typography.Text>
            <Select value={editing.severity} onChange={(severity) => setEditing({ ...editing, severity })}
              options={(['red', 'yellow'] as const).map((s) => ({ value: s, label: t(`oversight.severity.${s}`) }))} />
            <Input.TextArea rows={12} value={editing.definition} onChange={(e) => setEditing({ ...editing, definition: e.target.value })}
              style={{ fontFamily: 'monospace' }} aria-label={t('oversight.rules.definition')} />
          </Flex>
        )}
      </Modal>
    </Space>
  );
}
