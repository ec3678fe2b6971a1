/** Shapes of the e-certificate API as the pages use them, and the helpers they share. */
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';
import type { ApiItem, ApiResponse } from '../api';

export type WalletCard = ApiItem<'/credentials/mine'>;
export type RegisterRow = ApiItem<'/credentials/issued'>;
export type Verification = ApiResponse<'/credentials/verify', 'POST'>;
type Label = WalletCard['typeName'];

export const stateColor: Record<WalletCard['state'], string> = { valid: 'green', revoked: 'red', expired: 'orange' };

/** A label in the UI language. */
export const localized = (label: Label, language: string) => (language === 'en' ? label.en : label.zh);

/** A claim's value for display: yes/no for the age answers, text otherwise. */
export function claimValue(value: unknown, t: TFunction): string {
  if (typeof value === 'boolean') return value ? t('credentials.yes') : t('credentials.no');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '—');

/** A time in the viewer's zone, for when a presentation was made. */
export const moment = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm:ss') : '—');

/** The wallet's link for a verifier's request: the holder opens it (or scans its QR code) to present against the nonce. */
export const walletLink = (nonce: string) => `${window.location.origin}/wallet?nonce=${encodeURIComponent(nonce)}`;

/** The verifier page's link for a presentation: in the fragment, so it never reaches a server's logs. */
export const verifyLink = (presentation: string) => `${window.location.origin}/verify#${presentation}`;
