import type { ReactNode } from 'react';
import { Button, Layout, Segmented, Space } from 'antd';
import { LoginOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { switchLanguage, type Language } from './i18n';
import { navigate } from './router';
import { useSession } from './session';

/** The frame of pages that need no login: the brand, the language switch and a way into the console (the home holds the login form itself). */
export function PublicLayout({ children, home = false }: { children: ReactNode; home?: boolean }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  return (
    <Layout className="console">
      <Layout.Header className="console-header">
        <a className="console-brand" href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
          <span className="console-brand-mark">一网</span>
          <span className="console-brand-name">Yiwang</span>
        </a>
        <Space className="console-user" size={8}>
          <Segmented<Language>
            size="small"
            value={i18n.language === 'en' ? 'en' : 'zh-CN'}
            onChange={switchLanguage}
            options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]}
          />
          {!home && (
            <Button type="text" icon={<LoginOutlined />} className="console-header-button" onClick={() => navigate('/')}>
              {user ? user.name : t('auth.login')}
            </Button>
          )}
        </Space>
      </Layout.Header>
      <Layout.Content className="public-content">{children}</Layout.Content>
    </Layout>
  );
}
