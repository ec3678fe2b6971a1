import { lazy } from 'react';
import { AlertOutlined, BarChartOutlined, EnvironmentOutlined, GlobalOutlined, MobileOutlined, WifiOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { holds, staffHolding, type Me } from '../session';

/** 一张图 is for staff who may read at least one of its layers. */
const readsAnyLayer = (user: Me) => user.kind === 'staff'
  && (['cityops.component.read', 'cityops.case.read', 'hotline.ticket.read', 'cityops.sensor.read'] as const).some((a) => holds(user, a));

/**
 * 一网统管: the component registry (部件管理), cases (案件管理), the patrol worker's phone page, the evaluation, sensors
 * (感知设备) and the one map (一张图).
 */
export const module: WebModule = {
  name: 'cityops',
  pages: [
    { key: 'cityops-components', icon: <EnvironmentOutlined />, component: lazy(() => import('./ComponentsPage')), visible: staffHolding('cityops.component.read') },
    { key: 'cityops-cases', icon: <AlertOutlined />, component: lazy(() => import('./CasesPage')), visible: staffHolding('cityops.case.read') },
    { key: 'cityops-patrol', icon: <MobileOutlined />, component: lazy(() => import('./PatrolPage')), visible: staffHolding('cityops.case.report') },
    { key: 'cityops-evaluation', icon: <BarChartOutlined />, component: lazy(() => import('./EvaluationPage')), visible: staffHolding('cityops.case.evaluation') },
    { key: 'cityops-sensors', icon: <WifiOutlined />, component: lazy(() => import('./SensorsPage')), visible: staffHolding('cityops.sensor.read') },
    { key: 'cityops-onemap', icon: <GlobalOutlined />, component: lazy(() => import('./OneMapPage')), visible: readsAnyLayer },
  ],
};
