import type { Me } from '../App';

export default function AdminPages({ page }: { page: string; me: Me }) {
  return <p>{page}</p>;
}
