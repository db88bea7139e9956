import { randomUUID } from 'node:crypto';

/** The one id generator (UUID v4). Injected so tests can make ids deterministic. */
export abstract class IdGenerator {
  abstract next(): string;
}

export class RandomIdGenerator extends IdGenerator {
  next(): string {
    return randomUUID();
  }
}
