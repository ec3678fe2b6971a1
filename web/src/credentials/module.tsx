import { lazy } from 'react';
import { IdcardOutlined, AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';

export const module: WebModule = {
  order: 35,
  pages: [
    { key: 'wallet', icon: <IdcardOutlined />, component: lazy(() => import('./WalletPage')), visible: (user) => user.grants.includes('credentials.wallet.read') },
    { key: 'credential-register', icon: <AuditOutlined />, component: lazy(() => import('./RegisterPage')),
      visible: (user) => user.grants.includes('credentials.register.read') },
  ],
  publicPages: [{ path: '/verify', component: lazy(() => import('./VerifyPage')) }],
};
