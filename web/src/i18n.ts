import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

export type Language = 'zh-CN' | 'en';
export const languages: Language[] = ['zh-CN', 'en'];

const storageKey = 'yiwang.language';

function rememberedLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  return stored === 'en' ? 'en' : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: rememberedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

document.documentElement.lang = i18n.language;

/** Switches the UI language and remembers the choice for the next visit. */
export function switchLanguage(language: Language): void {
  localStorage.setItem(storageKey, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

export const currentLanguage = (): Language => (i18n.language === 'en' ? 'en' : 'zh-CN');

export default i18n;
