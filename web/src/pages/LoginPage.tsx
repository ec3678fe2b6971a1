import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Segmented, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api';
import { switchLanguage, type Language } from '../i18n';
import { navigate } from '../router';
import { useSession } from '../session';

/** 登录 for a console page opened without a session: the form, the language switch and the way to the public home. */
export function LoginPage() {
  const { t, i18n } = useTranslation();
  return (
    <div className="login">
      <Segmented<Language>
        className="login-language"
        size="small"
        value={i18n.language === 'en' ? 'en' : 'zh-CN'}
        onChange={switchLanguage}
        options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]}
      />
      <Card className="login-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          <span className="console-brand-mark">一网</span> Yiwang
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.subtitle')}</Typography.Paragraph>
        <LoginForm />
        <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
          <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('home.toHome')}</a>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}

/** The login form: the server's own message is shown for wrong passwords, locked accounts and throttling. */
export function LoginForm() {
  const { t } = useTranslation();
  const { login } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(values: { username: string; password: string }) {
    setBusy(true);
    setError(null);
    try {
      await login(values.username, values.password);
    } catch (e) {
      setError(e instanceof ApiProblem ? e.title : t('errors.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} role="alert" />}
      <Form layout="vertical" onFinish={(values) => void submit(values)} requiredMark={false}>
        <Form.Item name="username" label={t('auth.username')} rules={[{ required: true, message: t('auth.usernameRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
        </Form.Item>
        <Form.Item name="password" label={t('auth.password')} rules={[{ required: true, message: t('auth.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>{t('auth.login')}</Button>
      </Form>
    </>
  );
}
