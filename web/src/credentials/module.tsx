import { lazy } from 'react';
import { IdcardOutlined, AuditOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { holding } from '../session';

export const module: WebModule = {
  name: 'credentials',
  pages: [
    { key: 'wallet', icon: <IdcardOutlined />, component: lazy(() => import('./WalletPage')), visible: holding('credentials.wallet.read') },
    { key: 'credential-register', icon: <AuditOutlined />, component: lazy(() => import('./RegisterPage')),
      visible: holding('credentials.register.read') },
  ],
  publicPages: [{ path: '/verify', component: lazy(() => import('./VerifyPage')) }],
};
