import { lazy, Suspense, useEffect, type LazyExoticComponent, type ReactNode } from 'react';
import { Spin } from 'antd';
import { useSession } from './session';
import { navigate, usePath } from './router';
import { ConsoleLayout, type PageKey } from './ConsoleLayout';
import { LoginPage } from './pages/LoginPage';

// Each page is its own chunk: the login screen does not wait for the calendar or the ledger code.
const pages: Record<PageKey, LazyExoticComponent<() => ReactNode>> = {
  org: lazy(() => import('./pages/OrgPage')),
  staff: lazy(() => import('./pages/StaffPage')),
  calendar: lazy(() => import('./pages/CalendarPage')),
  ledger: lazy(() => import('./pages/LedgerPage')),
};

const pageOf = (path: string): PageKey | undefined =>
  (Object.keys(pages) as PageKey[]).find((key) => path === `/${key}` || path.startsWith(`/${key}/`));

export function App() {
  const { user } = useSession();
  const path = usePath();
  const page = pageOf(path);

  useEffect(() => {
    if (user && !page) navigate('/org');
  }, [user, page]);

  if (user === undefined) return <Spin fullscreen />;
  if (user === null) return <LoginPage />;
  if (!page) return null;
  const Page = pages[page];
  return (
    <ConsoleLayout page={page}>
      <Suspense fallback={<Spin style={{ display: 'block', margin: 48 }} />}>
        <Page />
      </Suspense>
    </ConsoleLayout>
  );
}
