import { IdempotentResponse, REPLAY_HEADER } from '../infrastructure/idempotency.service';

interface ResponseLike {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

/** Sends an idempotent result: its status code, and the replay header when it is a stored response. */
export const sendIdempotent = (response: ResponseLike, result: IdempotentResponse): unknown => {
  response.status(result.status);
  response.setHeader(REPLAY_HEADER, result.replayed ? 'true' : 'false');
  return result.body;
};
