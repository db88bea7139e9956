/**
 * A chart of the console's pages (the growth dashboard's sections, a campaign's outcome), drawn by GrowthChart.tsx in a
 * chunk of its own with the chart library: fetched when the first chart is about to be drawn, so a page's figures and
 * tables never wait for it.
 */
import { lazy, Suspense, useDeferredValue } from 'react';
import { Loading } from '../ui';
import type { GrowthChartProps } from './GrowthChart';

const GrowthChart = lazy(() => import('./GrowthChart'));

/**
 * A section's chart. Drawn in a render of its own after the section's figures and tables are shown (a deferred value),
 * so neither the chart library's loading nor the drawing holds them back; meanwhile its place is kept at its height.
 * The render that draws it waits for the chart chunk with the placeholder still shown, not behind a Suspense fallback
 * (React would hold the chart back for 300 ms after a fallback appeared).
 */
export const Chart = ({ label, height = 220, ...chart }: Omit<GrowthChartProps, 'height'> & { label: string; height?: number }) => {
  const draw = useDeferredValue(true, false);
  const pending = (
    <div className="chart-pending" style={{ height }}>
      <Loading />
    </div>
  );
  return (
    <figure className="chart" aria-label={label}>
      <Suspense fallback={pending}>{draw ? <GrowthChart height={height} {...chart} /> : pending}</Suspense>
    </figure>
  );
};
