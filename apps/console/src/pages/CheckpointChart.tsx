/** The log's growth, one point per signed checkpoint (recharts, loaded only on this page). */
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export default function CheckpointChart({ points }: { points: { at: string; size: number }[] }) {
  const data = points.map((point) => ({ at: new Date(point.at).toLocaleTimeString(), size: point.size }));
  return (
    <figure className="card" aria-label="tree size over time">
      <ResponsiveContainer width="100%" height={180}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="at" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Line type="stepAfter" dataKey="size" stroke="#0b57d0" isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
