import { useEffect, useState } from 'react';
import { Alert, Button, Card, Descriptions, Input, Result, Space, Typography } from 'antd';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import QRCode from 'qrcode';
import { api, ApiProblem } from '../api';
import { problemText } from '../problemFields';
import { claimValue, day, localized, moment, walletLink, type Verification } from './credentials';

type Outcome = { verification: Verification } | { problem: ApiProblem };

interface Request {
  nonce: string;
  expiresAt: string;
  link: string;
  qr: string;
}

/** 发起核验: the verifier's nonce, shown as a code for the holder to type and as a QR code opening their wallet with it. */
function StartVerification() {
  const { t } = useTranslation();
  const [request, setRequest] = useState<Request>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();

  const start = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      const { nonce, expiresAt } = await api('POST', '/credentials/verify/nonce');
      const link = walletLink(nonce);
      setRequest({ nonce, expiresAt, link, qr: await QRCode.toDataURL(link, { margin: 2, width: 320 }) });
    } catch (error) {
      setProblem(problemText(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text type="secondary">{t('credentials.verify.startIntro')}</Typography.Text>
        <Button onClick={() => void start()} loading={busy}>{t('credentials.verify.start')}</Button>
        {problem && <Alert type="error" showIcon message={problem} />}
        {request && (
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <Typography.Text>{t('credentials.verify.nonce')}</Typography.Text>
            <Typography.Text copyable code style={{ fontSize: 16 }} data-testid="verify-nonce">{request.nonce}</Typography.Text>
            <Typography.Text type="secondary">{t('credentials.verify.nonceUntil', { time: moment(request.expiresAt) })}</Typography.Text>
            <img src={request.qr} alt={t('credentials.verify.nonceQr')} style={{ width: 'min(100%, 220px)', aspectRatio: '1 / 1' }} />
          </Space>
        )}
      </Space>
    </Card>
  );
}

/**
 * 证照核验 (public): start a verification (the nonce the holder presents against), then paste the
 * presentation or open the wallet's link (the presentation travels in the fragment), and see whether it
 * is valid, made for this verification, and only what the holder chose to show.
 */
export default function VerifyPage() {
  const { t, i18n } = useTranslation();
  const [text, setText] = useState(() => decodeURIComponent(window.location.hash.slice(1)));
  const [outcome, setOutcome] = useState<Outcome>();
  const [busy, setBusy] = useState(false);

  const verify = async (presentation: string) => {
    if (!presentation.trim()) return;
    setBusy(true);
    try {
      setOutcome({ verification: await api('POST', '/credentials/verify', { presentation: presentation.trim() }) });
    } catch (error) {
      setOutcome({ problem: error instanceof ApiProblem ? error : new ApiProblem(0, 'network', String(error)) });
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    // The holder's link opened in the tab that started the verification changes only the fragment.
    const opened = () => {
      const presentation = decodeURIComponent(window.location.hash.slice(1));
      setText(presentation);
      void verify(presentation);
    };
    opened(); // a link opened in a new tab carries the presentation from the start
    window.addEventListener('hashchange', opened);
    return () => window.removeEventListener('hashchange', opened);
  }, []);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}><SafetyCertificateOutlined /> {t('credentials.verify.title')}</Typography.Title>
      <StartVerification />
      <Typography.Text type="secondary">{t('credentials.verify.intro')}</Typography.Text>
      <Input.TextArea value={text} onChange={(e) => setText(e.target.value)} rows={4} placeholder={t('credentials.verify.placeholder')}
        aria-label={t('credentials.verify.placeholder')} style={{ fontFamily: 'monospace', fontSize: 12 }} />
      <Button type="primary" loading={busy} onClick={() => void verify(text)} disabled={!text.trim()}>{t('credentials.verify.check')}</Button>
      {outcome && 'verification' in outcome && (
        <Card data-testid="verify-result">
          <Result status="success" style={{ padding: 8 }}
            title={t('credentials.verify.valid')}
            subTitle={outcome.verification.typeName ? localized(outcome.verification.typeName, i18n.language) : outcome.verification.vct} />
          <Descriptions size="small" column={1} bordered items={[
            { key: 'issuer', label: t('credentials.issuer'), children: outcome.verification.issuer.name },
            { key: 'issued', label: t('credentials.issuedAt'), children: day(outcome.verification.issuedAt) },
            { key: 'until', label: t('credentials.validUntil'), children: outcome.verification.validUntil ? day(outcome.verification.validUntil) : t('credentials.noExpiry') },
            { key: 'presented', label: t('credentials.verify.presentedAt'), children: moment(outcome.verification.presentedAt) },
          ]} />
          <Typography.Title level={5} style={{ marginTop: 16 }}>{t('credentials.verify.disclosed')}</Typography.Title>
          {outcome.verification.claims.length === 0
            ? <Typography.Text type="secondary">{t('credentials.verify.none')}</Typography.Text>
            : <Descriptions size="small" column={1} bordered data-testid="verify-claims" items={outcome.verification.claims.map((claim) => ({
                key: claim.path, label: localized(claim.label, i18n.language), children: claimValue(claim.value, t),
              }))} />}
        </Card>
      )}
      {outcome && 'problem' in outcome && (
        <Alert type="error" showIcon data-testid="verify-problem"
          message={outcome.problem.title}
          description={<Space direction="vertical" size={0}>
            <span>{t(`credentials.verify.why.${outcome.problem.code}`, { defaultValue: outcome.problem.detail ?? '' })}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{outcome.problem.code}</Typography.Text>
          </Space>} />
      )}
    </Space>
  );
}
