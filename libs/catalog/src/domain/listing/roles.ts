/** L2: who maintains listings and who may check a submission. */
import { DomainError, forbidden, ruleViolation } from '@app/common';
import { ProductFamily } from '../listing-kinds';
import { Actor, ROLE_COMPLIANCE_OFFICER, ROLE_PRODUCT_MANAGER } from './commands';

export const hasRole = (actor: Actor, role: string) => actor.roles.includes(role);

/** Advisory listings need a compliance officer; nobody checks their own submission. */
export const checkReviewer = (actor: Actor, family: ProductFamily, submittedBy: string): DomainError | undefined => {
  if (actor.id === submittedBy) return ruleViolation('CATALOG.MAKER_CANNOT_CHECK', 'L2', 'the submitter of a listing cannot review it');
  if (family === 'advisory' && !hasRole(actor, ROLE_COMPLIANCE_OFFICER)) {
    return forbidden('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'advisory listings are reviewed by a compliance officer', 'L2');
  }
  if (!hasRole(actor, ROLE_COMPLIANCE_OFFICER) && !hasRole(actor, ROLE_PRODUCT_MANAGER)) {
    return forbidden('CATALOG.REVIEWER_ROLE_REQUIRED', 'listings are reviewed by a compliance officer or another product manager', 'L2');
  }
  return undefined;
};

export const requireProductManager = (actor: Actor): DomainError | undefined =>
  hasRole(actor, ROLE_PRODUCT_MANAGER)
    ? undefined
    : forbidden('CATALOG.PRODUCT_MANAGER_REQUIRED', 'only product managers maintain listings');
