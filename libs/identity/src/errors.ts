import { DomainError } from '@app/common';

export const unauthenticated = (code: string, message: string) => new DomainError('unauthenticated', code, message);
