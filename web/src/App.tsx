import { lazy, Suspense, useEffect } from 'react';
import { Button, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from './session';
import { navigate, usePath } from './router';
import { ConsoleLayout } from './ConsoleLayout';
import { PublicLayout } from './PublicLayout';
import { LoginPage } from './pages/LoginPage';

const HomePage = lazy(() => import('./pages/HomePage'));
import { consolePageAt, pagesFor, publicPageAt, type ConsolePage } from './modules';

const loading = <Spin style={{ display: 'block', margin: 48 }} />;

export function App() {
  const { user } = useSession();
  const path = usePath();
  const publicPage = publicPageAt(path);
  const page = user ? consolePageAt(path) : undefined;
  const allowed = user ? pagesFor(user) : [];
  // A citizen starts at 我的办事; staff at the first desk of their menu.
  const home = (user?.kind === 'citizen' ? allowed.find((p) => p.key === 'my-services') : undefined) ?? allowed[0];

  useEffect(() => {
    if (user && !page && !publicPage && home) navigate(`/${home.key}`);
  }, [user, page, publicPage, home]);

  if (publicPage) {
    const Page = publicPage.component;
    return <PublicLayout><Suspense fallback={loading}><Page /></Suspense></PublicLayout>;
  }
  if (user === undefined) return <Spin fullscreen />;
  if (user === null && path === '/') return <PublicLayout home><Suspense fallback={loading}><HomePage /></Suspense></PublicLayout>;
  if (user === null) return <LoginPage />;
  if (!page) return null;
  // A page the menu does not offer this user, opened by its address: say so rather than show an empty page.
  if (!allowed.includes(page)) return <ConsoleLayout page={page.key}><NoAccess home={home} /></ConsoleLayout>;
  const Page = page.component;
  if (page.bare) return <Suspense fallback={<Spin fullscreen />}><Page /></Suspense>;
  return (
    <ConsoleLayout page={page.key}>
      <Suspense fallback={loading}>
        <Page />
      </Suspense>
    </ConsoleLayout>
  );
}

function NoAccess({ home }: { home: ConsolePage | undefined }) {
  const { t } = useTranslation();
  return (
    <div data-testid="no-access">
      <Result status="403" title={t('noAccess.title')} subTitle={t('noAccess.detail')}
        extra={home && <Button type="primary" onClick={() => navigate(`/${home.key}`)}>{t('noAccess.home')}</Button>} />
    </div>
  );
}
