import { lazy } from 'react';
import { ApiOutlined, AuditOutlined, DatabaseOutlined, FormOutlined, SafetyOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding } from '../session';

const staff = (user: { kind: string }) => user.kind === 'staff';

export const module: WebModule = {
  name: 'catalogue',
  pages: [
    { key: 'catalogue', icon: <DatabaseOutlined />, component: lazy(() => import('./CataloguePage')), visible: staff },
    { key: 'hub-register', icon: <FormOutlined />, component: lazy(() => import('./RegisterPage')), visible: staffHolding('hub.resource.register') },
    { key: 'hub-systems', icon: <ApiOutlined />, component: lazy(() => import('./SystemsPage')), visible: staffHolding('hub.resource.register') },
    { key: 'hub-quality', icon: <SafetyOutlined />, component: lazy(() => import('./QualityPage')),
      visible: (user) => user.kind === 'staff' && user.capabilities.includes('hub.quality.own') },
    { key: 'hub-review', icon: <AuditOutlined />, component: lazy(() => import('./ReviewPage')), visible: staffHolding('hub.resource.review') },
  ],
};
