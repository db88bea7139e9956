/**
 * A5: who initiated a purchase is established from the contacts the firm recorded, never taken from the client. A
 * contact about a product (an advisor's call, a recommendation, a push, a campaign message) makes a purchase of that
 * product by that investor within the attribution window not investor-initiated, whatever the client says. Contacts
 * are kept on the investor's stream, which every purchase decision reads anyway, so attribution costs no extra read.
 */
import type { Step } from '../shared';
import { isBefore } from '../shared';
import type { Initiator } from '../suitability/rule-set';

export const CONTACT_SOURCES = ['advisor_contact', 'recommendation', 'push', 'campaign'] as const;
export type ContactSource = (typeof CONTACT_SOURCES)[number];

export interface Contact {
  readonly contactId: string;
  readonly productId: string;
  readonly source: ContactSource;
  /** What the contact was, in the recording context's terms: a campaign id, a recommendation id, a call note reference. */
  readonly reference: string | null;
  /** Who contacted the investor (or recorded it), when, and through which channel. */
  readonly step: Step;
}

/** The latest recorded contact per product: only the latest can fall inside a window that ends now. */
export type ContactBook = Readonly<Record<string, Contact>>;

export interface Attribution {
  /** As the server established it. */
  readonly initiatedBy: Initiator;
  /** What the client said; kept as evidence, never decisive when a contact exists. */
  readonly claimed: Initiator;
  /** The contact that made it not investor-initiated, if any. */
  readonly contact: Contact | null;
  readonly windowDays: number;
}

const DAY_MS = 86_400_000;

/**
 * A contact within `windowDays` before `at` decides; without one the client's claim stands, which can only ever make
 * a purchase less permissive (a claimed recommendation is not investor-initiated).
 */
export const attributeInitiation = (
  contacts: ContactBook,
  productId: string,
  at: string,
  windowDays: number,
  claimed: Initiator,
): Attribution => {
  const latest = contacts[productId];
  const windowStart = new Date(Date.parse(at) - windowDays * DAY_MS).toISOString();
  const inWindow = latest && !isBefore(latest.step.at, windowStart) && !isBefore(at, latest.step.at);
  return inWindow
    ? { initiatedBy: latest.source, claimed, contact: latest, windowDays }
    : { initiatedBy: claimed, claimed, contact: null, windowDays };
};
