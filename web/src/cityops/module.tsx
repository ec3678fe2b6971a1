import { lazy } from 'react';
import { AimOutlined, AlertOutlined, BarChartOutlined, DesktopOutlined, EnvironmentOutlined, GlobalOutlined, MobileOutlined, NotificationOutlined,
  PartitionOutlined, SettingOutlined, WifiOutlined } from '@ant-design/icons';
import type { WebModule } from '../modules';
import { holds, staffHolding, type Me } from '../session';

/** 一张图 is for staff who may read at least one of its layers. */
const readsAnyLayer = (user: Me) => user.kind === 'staff'
  && (['cityops.component.read', 'cityops.case.read', 'hotline.ticket.read', 'cityops.sensor.read'] as const).some((a) => holds(user, a));

/**
 * 一网统管: the component registry (部件管理), cases (案件管理), the patrol worker's phone page, field tasks (现场任务) for
 * patrol and handling workers, jurisdiction disputes (管辖争议), the evaluation, the command centre's case settings
 * (案件设置), sensors (感知设备), the one map (一张图), the command-centre screen (指挥大屏, full-page) and the orders
 * (调度指令) a department acknowledges.
 */
export const module: WebModule = {
  name: 'cityops',
  pages: [
    { key: 'cityops-components', icon: <EnvironmentOutlined />, component: lazy(() => import('./ComponentsPage')), visible: staffHolding('cityops.component.read') },
    { key: 'cityops-cases', icon: <AlertOutlined />, component: lazy(() => import('./CasesPage')), visible: staffHolding('cityops.case.read') },
    { key: 'cityops-patrol', icon: <MobileOutlined />, component: lazy(() => import('./PatrolPage')), visible: staffHolding('cityops.case.report') },
    { key: 'cityops-field', icon: <AimOutlined />, component: lazy(() => import('./FieldPage')), visible: staffHolding('cityops.field.page') },
    { key: 'cityops-disputes', icon: <PartitionOutlined />, component: lazy(() => import('./DisputesPage')), visible: staffHolding('cityops.dispute.decide') },
    { key: 'cityops-evaluation', icon: <BarChartOutlined />, component: lazy(() => import('./EvaluationPage')), visible: staffHolding('cityops.case.evaluation') },
    { key: 'cityops-settings', icon: <SettingOutlined />, component: lazy(() => import('./CaseSettingsPage')), visible: staffHolding('cityops.dispatch.manage') },
    { key: 'cityops-sensors', icon: <WifiOutlined />, component: lazy(() => import('./SensorsPage')), visible: staffHolding('cityops.sensor.read') },
    { key: 'cityops-onemap', icon: <GlobalOutlined />, component: lazy(() => import('./OneMapPage')), visible: readsAnyLayer },
    { key: 'cityops-screen', icon: <DesktopOutlined />, component: lazy(() => import('./ScreenPage')), visible: staffHolding('cityops.screen.read'), bare: true },
    { key: 'cityops-orders', icon: <NotificationOutlined />, component: lazy(() => import('./OrdersPage')), visible: staffHolding('cityops.order.acknowledge') },
  ],
};
