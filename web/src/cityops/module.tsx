import { lazy } from 'react';
import { AlertOutlined, BarChartOutlined, EnvironmentOutlined, MobileOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { staffHolding } from '../session';

/** 一网统管: the component registry (部件管理), cases (案件管理), the patrol worker's phone page and the evaluation. */
export const module: WebModule = {
  name: 'cityops',
  pages: [
    { key: 'cityops-components', icon: <EnvironmentOutlined />, component: lazy(() => import('./ComponentsPage')), visible: staffHolding('cityops.component.read') },
    { key: 'cityops-cases', icon: <AlertOutlined />, component: lazy(() => import('./CasesPage')), visible: staffHolding('cityops.case.read') },
    { key: 'cityops-patrol', icon: <MobileOutlined />, component: lazy(() => import('./PatrolPage')), visible: staffHolding('cityops.case.report') },
    { key: 'cityops-evaluation', icon: <BarChartOutlined />, component: lazy(() => import('./EvaluationPage')), visible: staffHolding('cityops.case.evaluation') },
  ],
};
