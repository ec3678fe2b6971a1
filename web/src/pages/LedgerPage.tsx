import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Grid, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, ReloadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { api, apiText, query } from '../api';
import { problemText } from '../problemFields';
import { useSession } from '../session';
import { useLoad } from '../useLoad';
import { actorLabel, objectLabel } from '../codes';
import {
  entryLeafData, fromBase64, hashLeaf, parseCheckpoint, parseVerifierKey, rootFromInclusionProof, sameBytes, toBase64,
  verifyCheckpointSignature, type Checkpoint, type LedgerEntry, type SignatureCheck, type VerifierKey,
} from '../ledger/verify';

interface SignedCheckpoint {
  checkpoint: Checkpoint;
  key: VerifierKey;
  keyText: string;
  signature: SignatureCheck;
}

interface InclusionCheck {
  index: number;
  size: number;
  verified: boolean;
  leafHash: string;
  proofLength: number;
  computedRoot: string | null;
  checkpointRoot: string;
  /** Whether the leaf hash matches the entry's own fields; undefined when the entry was not readable. */
  entryMatches?: boolean;
  signature: SignatureCheck;
}

async function loadCheckpoint(): Promise<SignedCheckpoint> {
  const [note, keyText] = await Promise.all([apiText('/ledger/checkpoint'), apiText('/ledger/key')]);
  const checkpoint = parseCheckpoint(note);
  const key = parseVerifierKey(keyText);
  return { checkpoint, key, keyText: keyText.trim(), signature: await verifyCheckpointSignature(checkpoint, key) };
}

const pageSize = 10;

/** 数据铁笼·账本: the signed checkpoint, the entries, and inclusion proofs checked in the browser. */
export default function LedgerPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const mayReadEntries = can('ledger.entry.read');
  const [page, setPage] = useState(1);
  const [checkpointGeneration, setCheckpointGeneration] = useState(0);
  const signed = useLoad(loadCheckpoint, [checkpointGeneration]);
  // Pages count down from the newest entry seen on page 1, so new entries do not shift later pages.
  const [newest, setNewest] = useState(0);
  const entries = useLoad(async () => {
    if (!mayReadEntries) return undefined;
    const from = page === 1 ? undefined : newest - 1 - (page - 1) * pageSize;
    const result = await api('GET', `/ledger/entries${query({ from, limit: pageSize })}`);
    if (page === 1) setNewest(result.size);
    return result;
  }, [mayReadEntries, page, checkpointGeneration]);
  const actionLabels = useLoad(() => api('GET', '/ledger/actions'), []);
  const actionName = (code: string) => {
    const label = actionLabels.data?.actions[code];
    return label ? (i18n.language === 'en' ? label.en : label.zh) : code;
  };
  const [target, setTarget] = useState<number | null>(null);
  const [checking, setChecking] = useState<number | null>(null);
  const [check, setCheck] = useState<InclusionCheck | { index: number; error: string } | null>(null);

  async function verify(index: number, entry?: LedgerEntry) {
    setChecking(index);
    setCheck(null);
    try {
      // Prove against the newest signed checkpoint, so recent entries are covered.
      const current = await loadCheckpoint();
      const { checkpoint } = current;
      if (index >= checkpoint.size) {
        // An index past every entry written (or past the signed ones, for a reader who cannot list entries)
        // is not there to wait for: say so rather than "try again".
        const written = entries.data?.size;
        const missing = entry === undefined && (written === undefined || index >= written);
        setCheck({ index, error: missing
          ? t('ledger.noSuchEntry', { index, last: (written ?? checkpoint.size) - 1 })
          : t('ledger.notYetInCheckpoint', { size: checkpoint.size }) });
        return;
      }
      const proof = await api('GET',
        `/ledger/proofs/inclusion${query({ index, size: checkpoint.size })}`);
      const leafHash = fromBase64(proof.leafHash);
      const root = await rootFromInclusionProof(index, checkpoint.size, leafHash, proof.hashes.map(fromBase64));
      const readable = entry ?? (mayReadEntries ? await api('GET', `/ledger/entries/${index}`) : undefined);
      const entryMatches = readable ? sameBytes(await hashLeaf(entryLeafData(readable)), leafHash) : undefined;
      setCheck({
        index, size: checkpoint.size, leafHash: proof.leafHash, proofLength: proof.hashes.length,
        computedRoot: root && toBase64(root), checkpointRoot: toBase64(checkpoint.rootHash),
        verified: root !== null && sameBytes(root, checkpoint.rootHash) && entryMatches !== false && current.signature.ok,
        entryMatches, signature: current.signature,
      });
    } catch (error) {
      setCheck({ index, error: problemText(error) });
    } finally {
      setChecking(null);
    }
  }

  const cp = signed.data;
  // Labels above values on phones, where hashes need the full width.
  const layout = Grid.useBreakpoint().sm === false ? 'vertical' : 'horizontal';
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <Flex vertical gap={16}>
      <Card
        title={<Space><SafetyCertificateOutlined />{t('ledger.checkpoint')}</Space>}
        loading={signed.loading && !cp}
        extra={<Button icon={<ReloadOutlined />} onClick={() => setCheckpointGeneration((g) => g + 1)}>{t('common.refresh')}</Button>}
      >
        {!cp && signed.error && <Alert type="info" showIcon title={signed.error} />}
        {cp && (
          <Descriptions column={1} size="small" bordered layout={layout} styles={{ label: { width: layout === 'horizontal' ? 160 : undefined } }}>
            <Descriptions.Item label={t('ledger.size')}>{cp.checkpoint.size}</Descriptions.Item>
            <Descriptions.Item label={t('ledger.rootHash')}><span className="mono">{toBase64(cp.checkpoint.rootHash)}</span></Descriptions.Item>
            <Descriptions.Item label={t('ledger.origin')}><span className="mono">{cp.checkpoint.origin}</span></Descriptions.Item>
            <Descriptions.Item label={t('ledger.signedBy')}>
              {cp.checkpoint.signatures.map((s) => <div key={s.keyName} className="mono">{s.keyName}</div>)}
            </Descriptions.Item>
            <Descriptions.Item label={t('ledger.signature')}><SignatureTag check={cp.signature} /></Descriptions.Item>
            <Descriptions.Item label={t('ledger.verifierKey')}>
              <Typography.Text className="mono" copyable>{cp.keyText}</Typography.Text>
            </Descriptions.Item>
          </Descriptions>
        )}
      </Card>

      <Card title={t('ledger.verifyInclusion')}>
        <Typography.Paragraph type="secondary">{t('ledger.verifyExplain')}</Typography.Paragraph>
        <Space wrap>
          <InputNumber<number> min={0} precision={0} placeholder={t('ledger.entryIndex')} value={target} onChange={setTarget}
            style={{ width: 160 }} aria-label={t('ledger.entryIndex')} />
          <Button type="primary" disabled={target === null} loading={checking !== null && checking === target}
            onClick={() => target !== null && void verify(target)}>
            {t('ledger.verifyInclusion')}
          </Button>
        </Space>
        {check && <InclusionResult check={check} layout={layout} />}
      </Card>

      {mayReadEntries && (
        <Card title={t('ledger.entries')}>
          <Table<LedgerEntry>
            rowKey="index"
            size="small"
            loading={entries.loading}
            dataSource={entries.data?.entries}
            scroll={{ x: 760 }}
            pagination={{ current: page, pageSize, total: newest, onChange: setPage, showSizeChanger: false }}
            columns={[
              { title: t('ledger.index'), dataIndex: 'index', width: 80 },
              { title: t('ledger.time'), dataIndex: 'recordedAt', width: 170, render: (v: string) => time.format(new Date(v)) },
              { title: t('ledger.actor'), key: 'actor', render: (_, e) => <span>{actorLabel(t, e.actor)}</span> },
              { title: t('ledger.action'), dataIndex: 'action', render: (v: string) => <span title={v}>{actionName(v)}</span> },
              { title: t('ledger.object'), key: 'object', render: (_, e) => e.object ? objectLabel(t, e.object) : '—' },
              {
                title: t('common.actions'), key: 'verify', width: 120, fixed: 'right',
                render: (_, e) => (
                  <Button size="small" loading={checking === e.index} onClick={() => { setTarget(e.index); void verify(e.index, e); }}>
                    {t('ledger.verify')}
                  </Button>
                ),
              },
            ]}
          />
        </Card>
      )}
    </Flex>
  );
}

function SignatureTag({ check }: { check: SignatureCheck }) {
  const { t } = useTranslation();
  return check.ok
    ? <Tag color="success" icon={<CheckCircleFilled />} data-testid="signature-status" className="wrapping-tag">{t('ledger.signatureValid')}</Tag>
    : <Tag color="error" icon={<CloseCircleFilled />} data-testid="signature-status" className="wrapping-tag">{t(`ledger.signatureProblem.${check.reason}`)}</Tag>;
}

function InclusionResult({ check, layout }: { check: InclusionCheck | { index: number; error: string }; layout: 'vertical' | 'horizontal' }) {
  const { t } = useTranslation();
  if ('error' in check)
    return <Alert style={{ marginTop: 16 }} type="warning" showIcon title={t('ledger.cannotVerify', { index: check.index })} description={check.error} />;
  return (
    <Alert
      style={{ marginTop: 16 }}
      type={check.verified ? 'success' : 'error'}
      showIcon
      icon={check.verified ? <CheckCircleFilled /> : <CloseCircleFilled />}
      data-testid="inclusion-result"
      title={check.verified
        ? t('ledger.verified', { index: check.index, size: check.size })
        : t('ledger.failed', { index: check.index, size: check.size })}
      description={
        <Descriptions column={1} size="small" layout={layout} styles={{ label: { width: layout === 'horizontal' ? 140 : undefined } }}>
          <Descriptions.Item label={t('ledger.computedRoot')}><span className="mono" data-testid="computed-root">{check.computedRoot ?? t('ledger.proofMalformed')}</span></Descriptions.Item>
          <Descriptions.Item label={t('ledger.checkpointRoot')}><span className="mono">{check.checkpointRoot}</span></Descriptions.Item>
          <Descriptions.Item label={t('ledger.leafHash')}><span className="mono">{check.leafHash}</span></Descriptions.Item>
          <Descriptions.Item label={t('ledger.proofLength')}>{check.proofLength}</Descriptions.Item>
          {check.entryMatches !== undefined && (
            <Descriptions.Item label={t('ledger.entryContent')}>
              {check.entryMatches ? t('ledger.entryMatches') : t('ledger.entryDiffers')}
            </Descriptions.Item>
          )}
          <Descriptions.Item label={t('ledger.signature')}><SignatureTag check={check.signature} /></Descriptions.Item>
        </Descriptions>
      }
    />
  );
}
