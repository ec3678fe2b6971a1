import type { CSSProperties } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { departmentLabel, type Department } from '../org';

/** Picks a department by name, short name, code or division; shows the division beside each one. */
export function DepartmentSelect({ departments, value, onChange, allowClear, placeholder, style, id }: {
  departments: Department[] | undefined;
  value?: number;
  onChange?: (value: number | undefined) => void;
  allowClear?: boolean;
  placeholder?: string;
  style?: CSSProperties;
  id?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select<number>
      id={id}
      showSearch={{ optionFilterProp: 'search' }}
      allowClear={allowClear}
      placeholder={placeholder ?? t('staff.pickDepartment')}
      loading={!departments}
      value={value}
      onChange={onChange}
      style={style}
      popupMatchSelectWidth={false}
      options={departments?.map((d) => ({
        value: d.id,
        label: departmentLabel(d),
        search: `${d.divisionName} ${d.name} ${d.shortName ?? ''} ${d.code}`,
      }))}
    />
  );
}
