/**
 * Every chart of the growth dashboard and the campaigns page: bars (stacked or side by side, upright or across) or lines
 * over the rows of a section's table. With the audit's checkpoint chart, the only modules that import the chart
 * library: Chart.tsx loads this one lazily, so the figures and tables show without waiting for recharts, and the charts
 * are drawn once it is here.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One series: the key of its values in each row, its colour, and its name in the legend and tooltip (the key if none). */
export interface ChartSeries {
  readonly key: string;
  readonly color: string;
  readonly name?: string;
  /** Bars with the same stack are drawn one on the other. */
  readonly stack?: string;
}

export interface GrowthChartProps {
  readonly type: 'bar' | 'line';
  /** One row per category: its name under `category`, each series' value under the series' key. */
  readonly data: readonly object[];
  readonly category: string;
  readonly series: readonly ChartSeries[];
  readonly height: number;
  /** Bars drawn across, the categories down the left in a column this wide (the funnel's stages). */
  readonly across?: { readonly categoryWidth: number; readonly marginLeft: number };
  readonly legend?: boolean;
  /** The values are counts: no fractions on the value axis. */
  readonly counts?: boolean;
  /** After each value on the value axis (`%`). */
  readonly unit?: string;
}

export default function GrowthChart({ type, data, category, series, height, across, legend, counts, unit }: GrowthChartProps) {
  const xAxis = across ? <XAxis type="number" allowDecimals={!counts} unit={unit} /> : <XAxis dataKey={category} />;
  const yAxis = across ? (
    <YAxis type="category" dataKey={category} width={across.categoryWidth} />
  ) : (
    <YAxis allowDecimals={!counts} unit={unit} />
  );
  const frame = (
    <>
      <CartesianGrid strokeDasharray="3 3" />
      {xAxis}
      {yAxis}
      <Tooltip />
      {legend && <Legend />}
    </>
  );
  const marks = series.map((one) => {
    const common = { dataKey: one.key, name: one.name ?? one.key, isAnimationActive: false };
    return type === 'line' ? (
      <Line key={one.key} {...common} stroke={one.color} dot={false} />
    ) : (
      <Bar key={one.key} {...common} stackId={one.stack} fill={one.color} />
    );
  });
  return (
    <ResponsiveContainer width="100%" height={height}>
      {type === 'line' ? (
        <LineChart data={data}>
          {frame}
          {marks}
        </LineChart>
      ) : (
        <BarChart data={data} layout={across && 'vertical'} margin={across && { left: across.marginLeft }}>
          {frame}
          {marks}
        </BarChart>
      )}
    </ResponsiveContainer>
  );
}
