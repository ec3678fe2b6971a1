import { useEffect, useState } from 'react';
import { Alert, Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, query, type ApiResponse } from '../api';

type Check = ApiResponse<'/org/places/check', 'GET'>;

/**
 * 地址与定位不符: warns when the typed address names another township (or county) than the one the point
 * lies in, and offers to move the point to the address or to keep it. The platform records the
 * disagreement with the report either way, for the clerk.
 */
export function AddressCheck({ address, point, onMove }: {
  address: string | undefined;
  point: { lon: number; lat: number } | undefined;
  onMove: (lon: number, lat: number) => void;
}) {
  const { t } = useTranslation();
  const [check, setCheck] = useState<Check>();
  const [kept, setKept] = useState<string>();
  const typed = address?.trim() ?? '';
  const key = point && `${typed}|${point.lon}|${point.lat}`;

  useEffect(() => {
    if (!typed || !point) { setCheck(undefined); return; }
    let current = true;
    const timer = setTimeout(() => {
      api('GET', `/org/places/check${query({ address: typed, lon: point.lon, lat: point.lat })}`)
        // A hint only: no warning is shown when the check fails; the server checks again at filing.
        .then((c) => { if (current) setCheck(c); }, () => { if (current) setCheck(undefined); });
    }, 400);
    return () => { current = false; clearTimeout(timer); };
  }, [typed, point]);

  if (!check?.mismatch || !check.address || !check.point || kept === key) return null;
  const moveToAddress = async () => {
    const { items } = await api('GET', `/org/places${query({ q: typed })}`);
    const place = items.find((p) => p.code === check.address!.code) ?? items[0];
    if (place) onMove(place.lon, place.lat);
  };
  return (
    <Alert type="warning" showIcon style={{ marginBottom: 16 }} data-testid="address-mismatch"
      title={t('map.mismatch.title')}
      description={(
        <Space orientation="vertical" size={8}>
          <span>{t('map.mismatch.detail', { address: check.address.name, point: `${check.point.countyName}${check.point.townshipName}` })}</span>
          <Space wrap>
            <Button size="small" type="primary" onClick={() => void moveToAddress()}>{t('map.mismatch.move', { address: check.address.name })}</Button>
            <Button size="small" onClick={() => setKept(key)}>{t('map.mismatch.keep')}</Button>
          </Space>
        </Space>
      )} />
  );
}
