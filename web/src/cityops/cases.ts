import type { ApiItem, ApiResponse } from '../api';

export type CaseItem = ApiItem<'/cityops/cases'>;
export type CaseDetail = ApiResponse<'/cityops/cases/{id}'>;
export type CaseState = CaseItem['state'];

export const caseStates: CaseState[] = ['verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing', 'closed', 'rejected'];
export const stateColours: Record<CaseState, string> = {
  verifying: 'gold', filing: 'orange', dispatching: 'volcano', handling: 'blue', checking: 'cyan', closing: 'purple', closed: 'green', rejected: 'default',
};

/** A moment as the city's staff read it (2026/12/7 09:39:38), or a dash for none. */
export const time = (at: string | null | undefined): string => (at ? new Date(at).toLocaleString('zh-CN', { hour12: false }) : '—');

/** Reads a picked file as base64 (without the data: prefix), as the steps' bodies carry photos. */
export function fileToBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

/** The phone's position, as the browser gives it. */
export function currentPosition(): Promise<{ lon: number; lat: number; accuracy: number }> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) return reject(new Error('no geolocation'));
    navigator.geolocation.getCurrentPosition((p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      (e) => reject(new Error(e.message)), { enableHighAccuracy: true, timeout: 10_000 });
  });
}
