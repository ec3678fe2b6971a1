import { useState, type ReactNode } from 'react';
import { Button, Drawer, Grid, Layout, Menu, Segmented, Space, Tag, Typography } from 'antd';
import { ApiOutlined, LogoutOutlined, MenuOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { switchLanguage, type Language } from './i18n';
import { navigate } from './router';
import { useSession } from './session';
import { roleColor } from './roles';
import { pagesFor } from './modules';

/** Header with who is logged in, the language switch and logout; the page menu at the side (a drawer on phones). */
export function ConsoleLayout({ page, children }: { page: string; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const { user, logout } = useSession();
  const screens = Grid.useBreakpoint();
  const wide = screens.lg ?? true;
  const [drawerOpen, setDrawerOpen] = useState(false);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[page]}
      onClick={({ key }) => {
        if (key === 'docs') return;
        setDrawerOpen(false);
        navigate(`/${key}`);
      }}
      items={[
        ...(user ? pagesFor(user) : []).map(({ key, icon }) => ({ key, icon, label: t(`menu.${key}`) })),
        { type: 'divider' as const },
        { key: 'docs', icon: <ApiOutlined />, label: <a href="/docs" target="_blank" rel="noreferrer">{t('menu.docs')}</a> },
      ]}
    />
  );

  return (
    <Layout className="console">
      <Layout.Header className="console-header">
        {!wide && <Button type="text" icon={<MenuOutlined />} aria-label={t('menu.open')} onClick={() => setDrawerOpen(true)} className="console-header-button" />}
        <a className="console-brand" href="/" onClick={(e) => { e.preventDefault(); navigate('/'); }}>
          <span className="console-brand-mark">一网</span>
          <span className="console-brand-name">Yiwang</span>
        </a>
        <Space className="console-user" size={wide ? 12 : 6}>
          <Typography.Text className="console-user-name" ellipsis>{user?.name}</Typography.Text>
          {wide && user?.roles.map((role) => <Tag key={role} color={roleColor[role]}>{t(`roles.${role}`)}</Tag>)}
          <Segmented<Language>
            size="small"
            value={i18n.language === 'en' ? 'en' : 'zh-CN'}
            onChange={switchLanguage}
            options={[{ value: 'zh-CN', label: '中文' }, { value: 'en', label: 'English' }]}
          />
          <Button type="text" icon={<LogoutOutlined />} onClick={() => void logout()} className="console-header-button" aria-label={t('auth.logout')}>
            {wide && t('auth.logout')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        {wide && <Layout.Sider width={208} theme="light" className="console-sider">{menu}</Layout.Sider>}
        {!wide && (
          <Drawer placement="left" size={240} open={drawerOpen} onClose={() => setDrawerOpen(false)} title={t('app.name')} styles={{ body: { padding: 0 } }}>
            {!screens.sm && <div className="console-drawer-roles">{user?.roles.map((role) => <Tag key={role} color={roleColor[role]}>{t(`roles.${role}`)}</Tag>)}</div>}
            {menu}
          </Drawer>
        )}
        <Layout.Content className="console-content">{children}</Layout.Content>
      </Layout>
    </Layout>
  );
}
