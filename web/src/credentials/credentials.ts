/** Shapes of the e-certificate API as the pages use them, and the helpers they share. */
import dayjs from 'dayjs';
import type { TFunction } from 'i18next';

export interface Label {
  zh: string;
  en: string;
}

export interface ClaimView {
  path: string;
  label: Label;
  value: unknown;
}

export type CredentialState = 'valid' | 'revoked' | 'expired';

export interface WalletCard {
  id: string;
  type: string;
  typeName: Label;
  issuer: { departmentId: number; name: string };
  issuedAt: string;
  validUntil: string | null;
  state: CredentialState;
  revokedAt: string | null;
  revokeReason: string | null;
  /** Bound to a key on some device of the holder (this one or another). */
  deviceBound: boolean;
  claims: ClaimView[];
}

export interface RegisterRow extends Omit<WalletCard, 'claims'> {
  holderName: string;
  abilities: string[];
}

export interface Verification {
  valid: true;
  typeName: Label | null;
  vct: string;
  issuer: { iss: string; name: string };
  issuedAt: string | null;
  validUntil: string | null;
  presentedAt: string | null;
  claims: ClaimView[];
}

export const stateColor: Record<CredentialState, string> = { valid: 'green', revoked: 'red', expired: 'orange' };

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
