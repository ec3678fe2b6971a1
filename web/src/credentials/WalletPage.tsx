import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Descriptions, Empty, Flex, Form, Input, Modal, Popconfirm, Space, Spin, Tag, Typography } from 'antd';
import { MobileOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { api } from '../api';
import { problemText } from '../problemFields';
import { useLoad } from '../useLoad';
import { claimValue, day, localized, stateColor, verifyLink, type WalletCard } from './credentials';
import { createDeviceKey, deviceKeyOf, signKeyBinding } from './deviceKeys';

interface Presentation {
  presentation: string;
  disclosed: string[];
  link: string;
  qr: string;
}

/** 我的证照: the citizen's e-certificates, each with a dialog to show only chosen claims as a QR code. */
export default function WalletPage() {
  const { t } = useTranslation();
  const cards = useLoad(() => api('GET', '/credentials/mine'), []);
  const [presenting, setPresenting] = useState<WalletCard>();

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>{t('credentials.wallet.title')}</Typography.Title>
      <Typography.Text type="secondary">{t('credentials.wallet.intro')}</Typography.Text>
      {new URLSearchParams(window.location.search).has('nonce') && <Alert type="info" showIcon message={t('credentials.wallet.asked')} />}
      {cards.loading && !cards.data && <Spin />}
      {cards.data?.items.length === 0 && <Empty description={t('credentials.wallet.empty')} />}
      <Flex wrap gap={16}>
        {cards.data?.items.map((card) => (
          <CredentialCard key={card.id} card={card} onPresent={() => setPresenting(card)} onBound={cards.reload} />
        ))}
      </Flex>
      {presenting && <PresentDialog card={presenting} onClose={() => setPresenting(undefined)} />}
    </Space>
  );
}

function CredentialCard({ card, onPresent, onBound }: { card: WalletCard; onPresent: () => void; onBound: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  // Whether this browser holds the credential's device key: undefined until IndexedDB answers.
  const [here, setHere] = useState<boolean>();
  useEffect(() => {
    // A browser that keeps no IndexedDB (private mode) holds no key of this card.
    deviceKeyOf(card.id).then((pair) => setHere(pair !== undefined), () => setHere(false));
  }, [card.id, card.deviceBound]);
  const elsewhere = card.deviceBound && here === false;

  const bind = async () => {
    try {
      await api('POST', `/credentials/${card.id}/device-binding`, { jwk: await createDeviceKey(card.id) });
      void message.success(t('credentials.device.bound'));
      onBound();
    } catch (error) {
      void message.error(problemText(error));
    }
  };

  return (
    <Card
      className="credential-card"
      data-testid={`credential-${card.type}`}
      title={<Space><span>{localized(card.typeName, i18n.language)}</span><Tag color={stateColor[card.state]}>{t(`credentials.state.${card.state}`)}</Tag></Space>}
      extra={card.state === 'valid' && (
        <Button type="primary" icon={<QrcodeOutlined />} onClick={onPresent} disabled={elsewhere}>{t('credentials.wallet.present')}</Button>)}
      style={{ width: 'min(100%, 420px)' }}
      actions={card.state !== 'valid' ? undefined : [card.deviceBound
        ? <Tag key="device" icon={<MobileOutlined />} color={elsewhere ? 'default' : 'blue'}>{t(elsewhere ? 'credentials.device.elsewhere' : 'credentials.device.here')}</Tag>
        : (
          <Popconfirm key="device" title={t('credentials.device.confirmTitle')} description={t('credentials.device.confirm')}
            okText={t('credentials.device.bind')} cancelText={t('credentials.present.cancel')} onConfirm={() => void bind()}>
            <Button type="link" icon={<MobileOutlined />}>{t('credentials.device.bind')}</Button>
          </Popconfirm>
        )]}
    >
      <Descriptions size="small" column={1} items={[
        { key: 'issuer', label: t('credentials.issuer'), children: card.issuer.name },
        { key: 'issued', label: t('credentials.issuedAt'), children: day(card.issuedAt) },
        { key: 'until', label: t('credentials.validUntil'), children: card.validUntil ? day(card.validUntil) : t('credentials.noExpiry') },
        ...(card.revokeReason ? [{ key: 'reason', label: t('credentials.revokeReason'), children: card.revokeReason }] : []),
        ...card.claims.map((claim) => ({ key: claim.path, label: localized(claim.label, i18n.language), children: claimValue(claim.value, t) })),
      ]} />
    </Card>
  );
}

/**
 * 出示: enter the verifier's code (its nonce; prefilled when the wallet was opened from the verifier's QR
 * code), tick the claims to show; the server cuts a presentation with only those disclosures, answering
 * that verifier's request only.
 */
function PresentDialog({ card, onClose }: { card: WalletCard; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const [nonce, setNonce] = useState(() => new URLSearchParams(window.location.search).get('nonce') ?? '');
  const [nonceMissing, setNonceMissing] = useState(false);
  const [result, setResult] = useState<Presentation>();
  const [busy, setBusy] = useState(false);

  const build = async () => {
    if (!nonce.trim()) {
      setNonceMissing(true);
      return;
    }
    setBusy(true);
    try {
      const made = await api('POST', `/credentials/${card.id}/presentations`, { disclose: chosen, nonce: nonce.trim() });
      const presentation = made.keyBinding ? await signKeyBinding(card.id, made.presentation, made.keyBinding) : made.presentation;
      const link = verifyLink(presentation);
      // A presentation is 1–2 KB, so the code is dense: drawn large and with the lowest error correction.
      setResult({ presentation, disclosed: made.disclosed, link, qr: await QRCode.toDataURL(link, { errorCorrectionLevel: 'L', margin: 2, width: 720 }) });
    } catch (error) {
      void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title={t('credentials.present.title', { name: localized(card.typeName, i18n.language) })} onCancel={onClose}
      footer={result
        ? [<Button key="again" onClick={() => setResult(undefined)}>{t('credentials.present.again')}</Button>,
          <Button key="close" type="primary" onClick={onClose}>{t('credentials.present.done')}</Button>]
        : [<Button key="cancel" onClick={onClose}>{t('credentials.present.cancel')}</Button>,
          <Button key="build" type="primary" loading={busy} onClick={() => void build()}>{t('credentials.present.build')}</Button>]}
    >
      {!result && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <Form layout="vertical">
            <Form.Item label={t('credentials.present.nonce')} htmlFor="presentation-nonce" extra={t('credentials.present.nonceHelp')}
              validateStatus={nonceMissing ? 'error' : undefined} help={nonceMissing ? t('credentials.present.nonceRequired') : undefined}>
              <Input id="presentation-nonce" value={nonce} autoComplete="off" style={{ fontFamily: 'monospace' }}
                onChange={(e) => { setNonce(e.target.value); setNonceMissing(false); }} />
            </Form.Item>
          </Form>
          <Typography.Text>{t('credentials.present.choose')}</Typography.Text>
          <Checkbox.Group value={chosen} onChange={(values) => setChosen(values as string[])} style={{ display: 'flex', flexDirection: 'column', gap: 6 }}
            options={card.claims.map((claim) => ({ value: claim.path, label: `${localized(claim.label, i18n.language)}：${claimValue(claim.value, t)}` }))} />
        </Space>
      )}
      {result && (
        <Space direction="vertical" align="center" style={{ width: '100%' }}>
          <Alert type="info" showIcon message={result.disclosed.length === 0
            ? t('credentials.present.nothing')
            : t('credentials.present.only', { claims: result.disclosed.map((path) => localized(card.claims.find((c) => c.path === path)!.label, i18n.language)).join('、') })} />
          <img src={result.qr} alt={t('credentials.present.qr')} style={{ width: 'min(100%, 360px)', aspectRatio: '1 / 1' }} data-testid="presentation-qr" />
          <Typography.Paragraph copyable={{ text: result.presentation }} ellipsis={{ rows: 2 }} style={{ maxWidth: 420, wordBreak: 'break-all' }}
            data-testid="presentation-text">
            {result.presentation}
          </Typography.Paragraph>
          <Typography.Link href={result.link} target="_blank" data-testid="presentation-link">{t('credentials.present.openVerifier')}</Typography.Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t(card.deviceBound ? 'credentials.present.device' : 'credentials.present.bearer')}</Typography.Text>
        </Space>
      )}
    </Modal>
  );
}
