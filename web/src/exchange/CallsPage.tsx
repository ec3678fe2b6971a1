import { useState } from 'react';
import { Alert, App, Button, Card, DatePicker, Descriptions, Drawer, Flex, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { chinaDaysBack } from '../chinaDays';
import { useTranslation } from 'react-i18next';
import { api, apiText, query, type ApiResponse } from '../api';
import {
  entryLeafData, fromBase64, hashLeaf, parseCheckpoint, parseVerifierKey, rootFromInclusionProof, sameBytes, verifyCheckpointSignature,
} from '../ledger/verify';
import { problemText, showProblemOnField } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { caseLabel, codeLabel, purposeText } from '../codes';
import { chinaTime } from './format';


type Detail = ApiResponse<'/hub/evidence/{messageId}'>;

type Check = { ok: boolean; lines: string[] };

/** Checks one call record against the signed ledger in the browser: signature, inclusion proof, entry and record hashes. */
async function verifyInLedger(detail: Detail, t: (key: string, v?: Record<string, unknown>) => string): Promise<Check> {
  const entry = detail.ledgerEntry;
  if (!entry) return { ok: false, lines: [t('hubx.verify.queued')] };
  const [note, keyText] = await Promise.all([apiText('/ledger/checkpoint'), apiText('/ledger/key')]);
  const checkpoint = parseCheckpoint(note);
  const signature = await verifyCheckpointSignature(checkpoint, parseVerifierKey(keyText));
  if (entry.index >= checkpoint.size) return { ok: false, lines: [t('hubx.verify.queued')] };
  const proof = await api('GET', `/ledger/proofs/inclusion${query({ index: entry.index, size: checkpoint.size })}`);
  const leaf = fromBase64(proof.leafHash);
  const root = await rootFromInclusionProof(entry.index, checkpoint.size, leaf, proof.hashes.map(fromBase64));
  const checks = [
    [signature.ok, t('hubx.verify.signature')],
    [root !== null && sameBytes(root, checkpoint.rootHash), t('hubx.verify.inclusion', { index: entry.index, size: checkpoint.size })],
    [sameBytes(await hashLeaf(entryLeafData(entry)), leaf), t('hubx.verify.entry')],
    [entry.payloadHash === detail.recordHash, t('hubx.verify.record')],
  ] as const;
  return { ok: checks.every(([ok]) => ok), lines: checks.map(([ok, text]) => `${ok ? '✓' : '✗'} ${text}`) };
}

/** 调用日志: calls my department made or served, each with its evidence and a check against the signed ledger. */
export default function CallsPage() {
  const { t, i18n } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => chinaDaysBack(30));
  const [outcome, setOutcome] = useState<string>();
  const list = useLoad(() => api('GET', `/hub/evidence${query({
    from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD'), outcome, limit: 200 })}`), [range, outcome]);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <Card title={t('hubx.callsTitle')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker.RangePicker allowClear={false} value={range} onChange={(v) => v && setRange(v as [Dayjs, Dayjs])} />
        <Select allowClear placeholder={t('hubx.outcome')} style={{ width: 140 }} value={outcome} onChange={setOutcome}
          options={[{ value: 'answered', label: t('hubx.answered') }, { value: 'refused', label: t('hubx.refusedCalls') }]} />
      </Space>
      <Table rowKey="messageId" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: 1000 }} pagination={{ pageSize: 20 }}
        onRow={(r) => ({ onClick: () => setOpen(r.messageId), style: { cursor: 'pointer' } })} columns={[
          { title: t('hubx.at'), key: 'at', render: (_, r) => chinaTime(r.at, i18n.language) },
          { title: t('hubx.consumer'), key: 'c', render: (_, r) => `${r.consumerDepartmentName} · ${r.consumerSystemName}` },
          { title: t('hubx.resource'), key: 'r', render: (_, r) => r.predicateCode ? `${r.resourceName ?? ''} · ${codeLabel(t, 'predicates', r.predicateCode)}` : r.resourceName ?? '—' },
          { title: t('hubx.subject'), dataIndex: 'subject', render: (s: string | null) => <span className="mono">{s ?? '—'}</span> },
          { title: t('hubx.purpose'), key: 'p', render: (_, r) => <>{purposeText(r.purpose)} ({caseLabel(t, r.caseId)})</> },
          { title: t('hubx.outcome'), key: 'o', render: (_, r) => <Tag color={r.status === 200 ? 'success' : r.status >= 500 ? 'error' : 'warning'}>{codeLabel(t, 'problems', r.code)}</Tag> },
          { title: t('hubx.duration'), key: 'd', render: (_, r) => `${r.durationMs.toFixed(1)} ms` },
        ]} />
      {open && <EvidenceDrawer messageId={open} onClose={(changed) => { setOpen(null); if (changed) list.reload(); }} />}
    </Card>
  );
}

function EvidenceDrawer({ messageId, onClose }: { messageId: string; onClose: (changed: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const { can } = useSession();
  const detail = useLoad(() => api('GET', `/hub/evidence/${messageId}`), [messageId]);
  const [check, setCheck] = useState<Check | null>(null);
  const [checking, setChecking] = useState(false);
  const [form] = Form.useForm<{ until: Dayjs; reason: string }>();
  const d = detail.data;

  async function verify() {
    setChecking(true);
    try {
      setCheck(await verifyInLedger(d!, t));
    } catch (error) {
      setCheck({ ok: false, lines: [problemText(error)] });
    } finally {
      setChecking(false);
    }
  }

  async function hide(values: { until: Dayjs; reason: string }) {
    try {
      await api('POST', `/hub/evidence/${messageId}/hide`, { until: values.until.format('YYYY-MM-DD'), reason: values.reason });
      void message.success(t('hubx.hidden'));
      onClose(true);
    } catch (error) {
      if (!showProblemOnField(form, error, ['until', 'reason'])) void message.error(problemText(error));
    }
  }

  return (
    <Drawer open title={t('hubx.evidence')} size="large" onClose={() => onClose(false)} loading={detail.loading && !d}>
      {d && <Flex vertical gap={16}>
        <Descriptions column={1} size="small" bordered styles={{ label: { width: 130 } }}>
          <Descriptions.Item label={t('hubx.messageId')}><span className="mono">{d.messageId}</span></Descriptions.Item>
          <Descriptions.Item label={t('hubx.at')}>{chinaTime(d.at, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t('hubx.consumer')}>{d.consumerDepartmentName} · {d.consumerSystemName}</Descriptions.Item>
          <Descriptions.Item label={t('hubx.provider')}>{d.providerDepartmentName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('hubx.resource')}>{d.resourceName ?? '—'} <span className="mono">{d.predicateCode ?? d.resourceCode ?? ''}</span></Descriptions.Item>
          <Descriptions.Item label={t('hubx.subject')}><span className="mono">{d.subject ?? '—'}</span></Descriptions.Item>
          <Descriptions.Item label={t('hubx.fields')}>{d.fields.map((f) => codeLabel(t, 'fields', f)).join(', ') || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('hubx.purpose')}>{purposeText(d.purpose)} ({caseLabel(t, d.caseId)})</Descriptions.Item>
          <Descriptions.Item label={t('hubx.legalBasis')}>{d.legalBasis ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('hubx.outcome')}>{codeLabel(t, 'problems', d.code)} ({d.status}) · {d.durationMs.toFixed(1)} ms</Descriptions.Item>
          <Descriptions.Item label={t('hubx.requestHash')}><Typography.Text className="mono" style={{ wordBreak: 'break-all' }}>{d.requestHash}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('hubx.responseHash')}><Typography.Text className="mono" style={{ wordBreak: 'break-all' }}>{d.responseHash ?? '—'}</Typography.Text></Descriptions.Item>
          {d.hiddenUntil && <Descriptions.Item label={t('hubx.hiddenUntil')}>{chinaTime(d.hiddenUntil, i18n.language)} · {d.hiddenReason}</Descriptions.Item>}
        </Descriptions>
        <Button icon={<SafetyCertificateOutlined />} loading={checking} onClick={() => void verify()}>{t('hubx.verifyInLedger')}</Button>
        {check && <Alert data-testid="ledger-check" type={check.ok ? 'success' : 'warning'} showIcon
          title={check.ok ? t('hubx.verify.ok') : t('hubx.verify.notOk')} description={check.lines.map((l) => <div key={l}>{l}</div>)} />}
        {can('hub.evidence.hide') && !d.hiddenUntil && (
          <Card size="small" title={t('hubx.hideTitle')}>
            <Form form={form} layout="vertical" onFinish={(values) => void hide(values)}>
              <Form.Item name="until" label={t('hubx.hideUntil')} rules={[{ required: true }]}><DatePicker /></Form.Item>
              <Form.Item name="reason" label={t('hubx.reason')} rules={[{ required: true }]}><Input maxLength={500} /></Form.Item>
              <Button htmlType="submit">{t('hubx.hide')}</Button>
            </Form>
          </Card>)}
      </Flex>}
    </Drawer>
  );
}
