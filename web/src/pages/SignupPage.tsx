import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { problemText, showProblemOnField } from '../problemFields';
import { navigate } from '../router';
import { useSession } from '../session';

interface SignupValues { displayName: string; idNumber: string; phone?: string; username: string; password: string; confirm: string }
const fields = ['displayName', 'idNumber', 'phone', 'username', 'password'];

// GB 11643: the 18th character is the ISO 7064 MOD 11-2 check of the first 17 (the server checks it again, with the date and region).
const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
function residentIdLooksValid(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const sum = weights.reduce((s, w, i) => s + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

/** 市民注册: opens a citizen's account through the register API; each field's problem is said under the field. */
export default function SignupPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { login } = useSession();
  const [form] = Form.useForm<SignupValues>();
  const [busy, setBusy] = useState(false);
  const submit = async (values: SignupValues) => {
    setBusy(true);
    try {
      await api('POST', '/auth/register', { displayName: values.displayName, idNumber: values.idNumber.toUpperCase(),
        phone: values.phone || undefined, username: values.username, password: values.password });
      await login(values.username, values.password);
      void message.success(t('signup.done'));
      navigate('/my-services');
    } catch (error) {
      if (!showProblemOnField(form, error, fields)) void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={t('signup.title')} style={{ maxWidth: 560, margin: '0 auto' }}>
      <Alert type="info" showIcon title={t('signup.why')} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark="optional" data-testid="signup-form">
        <Form.Item name="displayName" label={t('signup.displayName')} rules={[{ required: true, whitespace: true, message: t('signup.required') }]}>
          <Input maxLength={60} autoComplete="name" />
        </Form.Item>
        <Form.Item name="idNumber" label={t('signup.idNumber')} normalize={(v: string) => v.toUpperCase().trim()}
          rules={[{ required: true, message: t('signup.required') },
            { validator: (_, v: string) => (!v || residentIdLooksValid(v) ? Promise.resolve() : Promise.reject(new Error(t('signup.badIdNumber')))) }]}>
          <Input maxLength={18} autoComplete="off" inputMode="text" />
        </Form.Item>
        <Form.Item name="phone" label={t('signup.phone')} rules={[{ pattern: /^1[3-9]\d{9}$/, message: t('signup.badPhone') }]}>
          <Input maxLength={11} inputMode="tel" autoComplete="tel" />
        </Form.Item>
        <Form.Item name="username" label={t('signup.username')} extra={t('signup.usernameRule')}
          rules={[{ required: true, message: t('signup.required') }, { pattern: /^[A-Za-z0-9_.-]{3,40}$/, message: t('signup.usernameRule') }]}>
          <Input maxLength={40} autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label={t('signup.password')} extra={t('signup.passwordRule')}
          rules={[{ required: true, message: t('signup.required') }, { min: 10, message: t('signup.passwordShort') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item name="confirm" label={t('signup.confirm')} dependencies={['password']}
          rules={[{ required: true, message: t('signup.required') }, ({ getFieldValue }) => ({
            validator: (_, v: string) => (!v || v === getFieldValue('password') ? Promise.resolve() : Promise.reject(new Error(t('signup.mismatch')))) })]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>{t('signup.submit')}</Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0 }}>
        {t('signup.haveAccount')} <a href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>{t('signup.toLogin')}</a>
      </Typography.Paragraph>
    </Card>
  );
}
