import { lazy } from 'react';
import { AlertOutlined, BookOutlined, FileProtectOutlined, NotificationOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding } from '../session';

export const module: WebModule = {
  name: 'oversight',
  pages: [
    { key: 'oversight', icon: <AlertOutlined />, component: lazy(() => import('./RiskPage')), visible: staffHolding('oversight.alert.read') },
    { key: 'oversight-rules', icon: <BookOutlined />, component: lazy(() => import('./RulesPage')), visible: staffHolding('oversight.rule.edit') },
    { key: 'integrity', icon: <FileProtectOutlined />, component: lazy(() => import('./IntegrityPage')), visible: staffHolding('oversight.integrity.read') },
    { key: 'my-alerts', icon: <NotificationOutlined />, component: lazy(() => import('./MyAlertsPage')), visible: (user) => user.kind === 'staff' && user.capabilities.includes('oversight.alert.mine') },
  ],
};
