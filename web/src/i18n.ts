import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';

export type Language = 'zh-CN' | 'en';

const storageKey = 'yiwang.language';

function rememberedLanguage(): Language {
  const stored = localStorage.getItem(storageKey);
  return stored === 'en' ? 'en' : 'zh-CN';
}

type Messages = { [key: string]: string | Messages };

/** Merges module message files into the shared ones, so each module keeps its own strings. */
function merge(into: Messages, from: Messages): Messages {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    into[key] = typeof value === 'object' && typeof existing === 'object' ? merge({ ...existing }, value) : value;
  }
  return into;
}

// Each module may ship web/src/<module>/locales/{zh-CN,en}.json next to its pages.
const moduleMessages = import.meta.glob<Messages>('./*/locales/*.json', { eager: true, import: 'default' });
function messagesFor(language: Language, base: Messages): Messages {
  return Object.entries(moduleMessages)
    .filter(([file]) => file.endsWith(`/${language}.json`))
    .reduce((all, [, messages]) => merge(all, messages), merge({}, base));
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: messagesFor('zh-CN', zhCN) }, en: { translation: messagesFor('en', en) } },
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

