import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';

// Only the parts the console's charts draw, so the bundle carries no more of ECharts than that.
echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const font = { fontFamily: 'system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif' };

/**
 * The legend of a chart: one line that scrolls when its entries (long in English) do not fit, so it never
 * runs over the plot.
 */
export const legend = { type: 'scroll', top: 0 } as const;

export type ChartSeries = BarSeriesOption | LineSeriesOption;
export type ChartOption = ComposeOption<ChartSeries | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

/** An ECharts chart that follows its container's width. */
export function Chart({ option, height = 320, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(null);

  useEffect(() => {
    const created = echarts.init(container.current!);
    chart.current = created;
    const observer = new ResizeObserver(() => created.resize());
    observer.observe(container.current!);
    return () => { observer.disconnect(); created.dispose(); chart.current = null; };
  }, []);

  useEffect(() => { chart.current?.setOption({ textStyle: font, ...option }, true); }, [option]);

  return <div ref={container} style={{ height, width: '100%' }} data-testid={testId} />;
}
