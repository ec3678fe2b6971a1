import { Card, Col, Row, Typography } from 'antd';
import { AuditOutlined, FileSearchOutlined, MessageOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { navigate } from '../router';
import { LoginForm } from './LoginPage';

const entries = [
  { key: 'services', path: '/services', icon: <FileSearchOutlined /> },
  { key: 'report', path: '/report', icon: <MessageOutlined /> },
  { key: 'status', path: '/status', icon: <AuditOutlined /> },
  { key: 'verify', path: '/verify', icon: <SafetyCertificateOutlined /> },
] as const;

/** The public home: what a citizen can do here, each one click away, and one login for citizens and staff. */
export default function HomePage() {
  const { t } = useTranslation();
  const go = (path: string) => (e: React.MouseEvent) => { e.preventDefault(); navigate(path); };
  return (
    <Row gutter={[24, 24]} data-testid="home">
      <Col xs={24} lg={15}>
        <Typography.Title level={2} style={{ marginTop: 0 }}>{t('home.title')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('home.intro')}</Typography.Paragraph>
        <Row gutter={[16, 16]}>
          {entries.map((e) => (
            <Col xs={24} sm={12} key={e.key}>
              <a href={e.path} onClick={go(e.path)} className="home-entry" aria-label={t(`home.${e.key}.title`)}>
                <Card hoverable size="small" style={{ height: '100%' }}>
                  <Card.Meta avatar={<span className="home-entry-icon">{e.icon}</span>} title={t(`home.${e.key}.title`)} description={t(`home.${e.key}.text`)} />
                </Card>
              </a>
            </Col>
          ))}
        </Row>
      </Col>
      <Col xs={24} lg={9}>
        <Card title={t('home.login')}>
          <Typography.Paragraph type="secondary">{t('home.loginHint')}</Typography.Paragraph>
          <LoginForm />
          <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
            {t('home.noAccount')} <a href="/signup" onClick={go('/signup')}>{t('home.signup')}</a>
          </Typography.Paragraph>
        </Card>
      </Col>
    </Row>
  );
}
