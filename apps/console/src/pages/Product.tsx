import type { Me } from '../App';

export default function ProductPages({ page }: { page: string; me: Me }) {
  return <p>{page}</p>;
}
