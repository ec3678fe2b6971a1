/** Titles of problem codes in each UI language; modules add theirs with `registerMessages`. */
export type Lang = 'zh-CN' | 'en';
const titles = new Map<string, { zh: string; en: string }>();

export function registerMessages(messages: Record<string, { zh: string; en: string }>): void {
  for (const [code, text] of Object.entries(messages)) titles.set(code, text);
}

export function titleOf(code: string, lang: Lang): string | undefined {
  const text = titles.get(code);
  return text && (lang === 'en' ? text.en : text.zh);
}

/** zh-CN unless the caller prefers English (Accept-Language or ?lang=en). */
export function languageOf(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

registerMessages({
  'validation': { zh: '输入不符合要求', en: 'Invalid input' },
  'body-too-large': { zh: '请求体过大', en: 'Request body too large' },
  'unsupported-media-type': { zh: '不支持的内容类型', en: 'Unsupported content type' },
  'malformed-json': { zh: 'JSON 格式错误', en: 'Malformed JSON' },
  'invalid-text': { zh: '文本含有不允许的字符（NUL 或不成对的代理字符）', en: 'Text holds a character not allowed (NUL or an unpaired surrogate)' },
  'json-too-deep': { zh: 'JSON 嵌套层级过深', en: 'JSON nested too deep' },
  'bad-url': { zh: '网址格式错误', en: 'Malformed URL' },
  'uri-too-long': { zh: '网址过长', en: 'URL too long' },
  'headers-too-large': { zh: '请求头过大', en: 'Request headers too large' },
  'request-timeout': { zh: '请求发送超时', en: 'Request took too long to send' },
  'bad-request': { zh: '请求格式错误', en: 'Malformed request' },
  'image-too-large': { zh: '图片像素过多', en: 'Image has too many pixels' },
  'csrf': { zh: '请求来源不可信，已拒绝', en: 'Request refused: it did not come from this site' },
  'not-found': { zh: '未找到', en: 'Not found' },
  'unauthenticated': { zh: '请先登录', en: 'Login required' },
  'forbidden': { zh: '无权执行此操作', en: 'Not allowed' },
  'rate-limited': { zh: '请求过于频繁', en: 'Too many requests' },
  'unavailable': { zh: '服务繁忙，请稍后再试', en: 'Service busy; try again' },
  'internal': { zh: '服务器内部错误', en: 'Internal error' },
});
