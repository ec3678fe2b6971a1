import { lazy } from 'react';
import { EnvironmentOutlined } from '@ant-design/icons';
import { WifiOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding } from '../session';

/** 一网统管: the component registry (部件管理). */
export const module: WebModule = {
  name: 'cityops',
  pages: [
    { key: 'cityops-components', icon: <EnvironmentOutlined />, component: lazy(() => import('./ComponentsPage')), visible: staffHolding('cityops.component.read') },
    { key: 'cityops-sensors', icon: <WifiOutlined />, component: lazy(() => import('./SensorsPage')), visible: staffHolding('cityops.sensor.read') },
  ],
};
