import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useTranslation } from 'react-i18next';
import './i18n';
import { SessionProvider } from './session';
import { App } from './App';
import './console.css';

function Localized() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  // antd's date pickers and calendar name months and weekdays through dayjs.
  dayjs.locale(english ? 'en' : 'zh-cn');
  return (
    <ConfigProvider locale={english ? enUS : zhCN} theme={{ token: { colorPrimary: '#c8102e', borderRadius: 4 } }}>
      <AntApp>
        <SessionProvider>
          <App />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Localized />
  </StrictMode>,
);
