import { lazy } from 'react';
import { AuditOutlined, BarChartOutlined, EyeOutlined, FileProtectOutlined, SwapOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding as has } from '../session';

/** 数据共享 exchange side: requests, grants, call log, dashboard, and the citizen's "who used my data". */
export const module: WebModule = {
  order: 21,
  pages: [
    { key: 'share-requests', icon: <SwapOutlined />, component: lazy(() => import('./RequestsPage')), visible: has('hub.grant.read') },
    { key: 'share-grants', icon: <FileProtectOutlined />, component: lazy(() => import('./GrantsPage')), visible: has('hub.grant.read') },
    { key: 'share-calls', icon: <AuditOutlined />, component: lazy(() => import('./CallsPage')), visible: has('hub.evidence.read') },
    { key: 'share-dashboard', icon: <BarChartOutlined />, component: lazy(() => import('./DashboardPage')), visible: has('hub.dashboard.read') },
    { key: 'my-data', icon: <EyeOutlined />, component: lazy(() => import('./MyDataPage')), visible: (user) => user.kind === 'citizen' },
  ],
};
