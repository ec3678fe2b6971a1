import { useMemo } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../components/Chart';

export type LibraryName = 'people' | 'companies';
export const libraryNames: readonly LibraryName[] = ['people', 'companies'];

/** A library field's label in the UI language (姓名, 统一社会信用代码). */
export const fieldLabel = (t: TFunction, library: LibraryName, field: string) => t(`registry.fields.${library}.${field}`, { defaultValue: field });

interface Explanation {
  prior: number;
  parts: { field: string; level: string | null; weight: number }[];
  weight: number;
  probability: number;
  rule?: 'same-valid-id';
}

/**
 * The weight of a pair as a waterfall: the prior, then each field's part (up when it agrees, down when it
 * differs), ending at the total; a transparent bar carries each step to where the last one ended.
 */
export function Waterfall({ library, explanation, testId }: { library: LibraryName; explanation: Explanation; testId?: string }) {
  const { t } = useTranslation();
  const option = useMemo((): ChartOption => {
    const steps = [{ label: t('registry.prior'), weight: explanation.prior },
      ...explanation.parts.filter((p) => p.level !== null).map((p) => ({
        label: `${fieldLabel(t, library, p.field)}\n${t(`registry.levels.${p.level}`, { defaultValue: p.level })}`, weight: p.weight }))];
    // ECharts stacks negative values apart from positive ones, so the chart is drawn shifted up until its lowest
    // point is 0 and the axis labels shift back.
    const levels = steps.reduce<number[]>((acc, step) => [...acc, acc.at(-1)! + step.weight], [0]);
    const offset = -Math.min(0, ...levels);
    const base: number[] = [];
    const up: (number | string)[] = [];
    const down: (number | string)[] = [];
    const round = (x: number) => Number(x.toFixed(2));
    steps.forEach((step, i) => {
      base.push(round(Math.min(levels[i]!, levels[i + 1]!) + offset));
      up.push(step.weight >= 0 ? round(step.weight) : '-');
      down.push(step.weight < 0 ? round(-step.weight) : '-');
    });
    const total = levels.at(-1)!;
    const labels = [...steps.map((s) => s.label), t('registry.total')];
    base.push(round(Math.min(0, total) + offset));
    up.push(total >= 0 ? round(total) : '-');
    down.push(total < 0 ? round(-total) : '-');
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 48, right: 16, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', name: t('registry.weightAxis'), axisLabel: { formatter: (v: number) => String(Math.round((v - offset) * 10) / 10) } },
      series: [
        { type: 'bar', stack: 'w', data: base, itemStyle: { color: 'transparent' }, tooltip: { show: false } },
        { type: 'bar', stack: 'w', name: t('registry.agrees'), data: up, itemStyle: { color: '#389e0d' } },
        { type: 'bar', stack: 'w', name: t('registry.differs'), data: down, itemStyle: { color: '#cf1322' } },
      ],
    };
  }, [explanation, library, t]);
  return <Chart option={option} height={280} testId={testId} />;
}
