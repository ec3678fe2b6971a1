import { useState } from 'react';
import { App, Button, Card, DatePicker, Descriptions, Flex, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckCircleFilled, CloseCircleFilled, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, type ApiResponse } from '../api';
import { problemText } from '../problemFields';
import {
  entryLeafData, fromBase64, hashLeaf, parseCheckpoint, parseVerifierKey, rootFromInclusionProof, sameBytes, toBase64, verifyCheckpointSignature,
} from '../ledger/verify';
import { navigate } from '../router';
import { useLoad } from '../useLoad';
import { chinaTime, ruleName, SeverityTag, StateTag } from './common';

type Alert = ApiResponse<'/oversight/alerts/{id}'>;
type Verdict = { signature: boolean; entries: Record<number, boolean> };

/**
 * Checks an alert's evidence trusting only the verifier key: the checkpoint's signature, each entry's leaf hash
 * rebuilt from its fields, and its inclusion proof up to the signed root.
 */
async function verifyEvidence(alert: Alert): Promise<Verdict> {
  if (!alert.checkpoint) return { signature: false, entries: {} };
  const checkpoint = parseCheckpoint(alert.checkpoint);
  const signature = await verifyCheckpointSignature(checkpoint, parseVerifierKey(alert.verifierKey));
  const entries: Record<number, boolean> = {};
  for (const entry of alert.entries) {
    const proof = alert.proofs.find((p) => p.index === entry.index);
    const leaf = await hashLeaf(entryLeafData(entry));
    const root = proof && await rootFromInclusionProof(proof.index, proof.size, leaf, proof.hashes.map(fromBase64));
    entries[entry.index] = toBase64(leaf) === entry.leafHash && !!root && proof.size === checkpoint.size && sameBytes(root, checkpoint.rootHash);
  }
  return { signature: signature.ok, entries };
}

type Dialog = null | 'confirm' | 'dismiss' | 'case' | 'close';

/** 预警详情: the rule, the people, the acts with their proofs verified here, and what the inspector does with it. */
export default function AlertView({ id }: { id: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [alert, setAlert] = useState<Alert>();
  const loaded = useLoad(async () => {
    const a = await api('GET', `/oversight/alerts/${id}`);
    setAlert(a);
    return a;
  }, [id]);
  const labels = useLoad(() => api('GET', '/ledger/actions'), []);
  const [verdict, setVerdict] = useState<Verdict>();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<'talk' | 'rectify' | 'referral'>('rectify');
  const [deadline, setDeadline] = useState<string>();
  const a = alert ?? loaded.data;
  if (!a) return <Card loading={loaded.loading}>{loaded.error}</Card>;

  const act = async (path: string, body?: object) => {
    try {
      setAlert(await api('POST', `/oversight/alerts/${id}/${path}`, body) as Alert);
      setDialog(null);
      setText('');
      void message.success(t('oversight.done'));
    } catch (error) {
      void message.error(problemText(error));
    }
  };
  const submit = () => {
    if (dialog === 'confirm') return act('confirm', { note: text });
    if (dialog === 'dismiss') return act('dismiss', { reason: text });
    if (dialog === 'case') return act('case', { kind, note: text, ...(deadline ? { deadline } : {}) });
    return act('close', { outcome: text });
  };
  const actionName = (code: string) => labels.data?.actions[code]?.[i18n.language === 'en' ? 'en' : 'zh'] ?? code;
  const verifiedAll = verdict && verdict.signature && a.entries.every((e) => verdict.entries[e.index]);
  const people = new Map(a.people.map((p) => [p.id, p.name]));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/oversight')}>{t('oversight.back')}</Button>
      <Card title={<Space><SeverityTag severity={a.severity} />{ruleName(a.rule, i18n.language)}<StateTag state={a.state} /></Space>}
        extra={<Space wrap>
          {a.state === 'open' && <Button onClick={() => setDialog('confirm')}>{t('oversight.actions.confirm')}</Button>}
          {(a.state === 'open' || a.state === 'confirmed') && <Button type="primary" onClick={() => setDialog('case')}>{t('oversight.actions.case')}</Button>}
          {(a.state === 'open' || a.state === 'confirmed') && <Button danger onClick={() => setDialog('dismiss')}>{t('oversight.actions.dismiss')}</Button>}
          {a.state === 'case' && <Button type="primary" onClick={() => setDialog('close')}>{t('oversight.actions.close')}</Button>}
          {!a.released && a.people.length > 0 && <Button onClick={() => void act('release')}>{t('oversight.actions.release')}</Button>}
        </Space>}>
        <Descriptions size="small" column={{ xs: 1, md: 2 }} items={[
          { key: 'raised', label: t('oversight.raisedAt'), children: chinaTime(a.raisedAt) },
          { key: 'people', label: t('oversight.people'), children: a.people.map((p) => `${p.name}${p.department ? `（${p.department}）` : ''}`).join('、') || t('oversight.nobody') },
          { key: 'version', label: t('oversight.version'), children: `v${a.rule.version}` },
          { key: 'measure', label: t('oversight.measure'), children: a.measure },
          { key: 'rationale', label: t('oversight.rationale'), children: a.ruleVersion.rationale, span: 2 },
          { key: 'basis', label: t('oversight.legalBasis'), children: a.ruleVersion.legalBasis, span: 2 },
          ...(a.dismissReason ? [{ key: 'reason', label: t('oversight.dismissReason'), children: a.dismissReason, span: 2 }] : []),
          ...(a.case ? [{ key: 'case', label: t('oversight.case'), span: 2, children: (
            <span data-testid="case">{t(`oversight.caseKind.${a.case.kind}`)}{a.case.deadline ? ` · ${t('oversight.deadline')} ${a.case.deadline}` : ''} · {a.case.note}
              {a.case.outcome && <> · {t('oversight.outcome')}：{a.case.outcome}</>}</span>) }] : []),
          ...(a.answer ? [{ key: 'answer', label: t('oversight.answer'), children: a.answer, span: 2 }] : []),
          { key: 'released', label: t('oversight.released'), children: a.released ? t('oversight.yes') : t('oversight.no') },
        ]} />
      </Card>
      <Card title={t('oversight.evidence')} extra={
        <Button icon={<SafetyCertificateOutlined />} onClick={() => void verifyEvidence(a).then(setVerdict)}>{t('oversight.verify')}</Button>
      }>
        {verdict && (
          <Typography.Paragraph data-testid="verdict" type={verifiedAll ? 'success' : 'danger'}>
            {verifiedAll ? <CheckCircleFilled /> : <CloseCircleFilled />}{' '}
            {verifiedAll ? t('oversight.verified', { count: a.entries.length, size: a.proofs[0]?.size ?? 0 }) : t('oversight.notVerified')}
          </Typography.Paragraph>
        )}
        <Table size="small" rowKey="index" pagination={false} dataSource={a.entries} scroll={{ x: true }} columns={[
          { title: t('oversight.entry'), dataIndex: 'index', width: 90 },
          { title: t('oversight.time'), render: (_, e) => chinaTime(e.recordedAt), width: 150 },
          { title: t('oversight.actor'), render: (_, e) => people.get(e.actor.id) ?? e.actor.id },
          { title: t('oversight.act'), render: (_, e) => actionName(e.action) },
          { title: t('oversight.object'), render: (_, e) => (e.object ? e.object.id : '—') },
          { title: t('oversight.proof'), width: 110, render: (_, e) => (verdict
            ? (verdict.entries[e.index] ? <Tag color="green">{t('oversight.proofOk')}</Tag> : <Tag color="red">{t('oversight.proofBad')}</Tag>)
            : <Tag>{t('oversight.proofPending')}</Tag>) },
        ]} />
      </Card>
      <Modal open={dialog !== null} title={dialog ? t(`oversight.actions.${dialog}`) : ''} onCancel={() => setDialog(null)} onOk={() => void submit()}
        okText={t('oversight.submit')} cancelText={t('oversight.cancel')}>
        <Flex vertical gap={8}>
          {dialog === 'case' && (
            <>
              <Select value={kind} onChange={setKind} options={(['talk', 'rectify', 'referral'] as const).map((k) => ({ value: k, label: t(`oversight.caseKind.${k}`) }))} />
              {kind === 'rectify' && <DatePicker placeholder={t('oversight.deadline')} onChange={(d) => setDeadline(d ? d.format('YYYY-MM-DD') : undefined)} />}
            </>
          )}
          <Input.TextArea rows={3} value={text} onChange={(e) => setText(e.target.value)} placeholder={dialog ? t(`oversight.placeholder.${dialog}`) : ''} />
        </Flex>
      </Modal>
    </Space>
  );
}
