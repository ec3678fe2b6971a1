import { Suspense, useEffect } from 'react';
import { Spin } from 'antd';
import { useSession } from './session';
import { navigate, usePath } from './router';
import { ConsoleLayout } from './ConsoleLayout';
import { PublicLayout } from './PublicLayout';
import { LoginPage } from './pages/LoginPage';
import { consolePageAt, pagesFor, publicPageAt } from './modules';

const loading = <Spin style={{ display: 'block', margin: 48 }} />;

export function App() {
  const { user } = useSession();
  const path = usePath();
  const publicPage = publicPageAt(path);
  const page = user ? consolePageAt(path) : undefined;
  const home = user ? pagesFor(user)[0] : undefined;

  useEffect(() => {
    if (user && !page && !publicPage && home) navigate(`/${home.key}`);
  }, [user, page, publicPage, home]);

  if (publicPage) {
    const Page = publicPage.component;
    return <PublicLayout><Suspense fallback={loading}><Page /></Suspense></PublicLayout>;
  }
  if (user === undefined) return <Spin fullscreen />;
  if (user === null) return <LoginPage />;
  if (!page) return null;
  const Page = page.component;
  return (
    <ConsoleLayout page={page.key}>
      <Suspense fallback={loading}>
        <Page />
      </Suspense>
    </ConsoleLayout>
  );
}
