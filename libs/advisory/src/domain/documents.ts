/**
 * Documents shown to investors (sensitive-data consent, risk disclosure, special risk warning, advisory contract) are
 * versioned texts addressed by the SHA-256 of their exact UTF-8 bytes; every confirmation records that hash (A1, A6, E4).
 */
import { createHash } from 'node:crypto';
import { formatMoney } from '@app/common';
import type { Advisor, Money } from '@app/common';

export type DocumentKind = 'sensitive_data_consent' | 'risk_disclosure' | 'special_risk_warning' | 'advisory_contract';
export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  'sensitive_data_consent',
  'risk_disclosure',
  'special_risk_warning',
  'advisory_contract',
];

export interface DocumentVersion {
  readonly documentId: string;
  readonly kind: DocumentKind;
  readonly version: string;
  readonly text: string;
}

export interface DocumentRef {
  readonly documentId: string;
  readonly kind: DocumentKind;
  readonly version: string;
  readonly contentHash: string;
}

export const contentHash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const documentRef = (doc: DocumentVersion): DocumentRef => ({
  documentId: doc.documentId,
  kind: doc.kind,
  version: doc.version,
  contentHash: contentHash(doc.text),
});

export const RESCISSION_WORKING_DAYS = 5;

export type { Advisor } from '@app/common';

export interface FeeBasis extends Money {
  readonly kind: 'fixed_per_period';
  readonly periodMonths: number;
}

export interface ContractTerms {
  readonly serial: string;
  readonly productId: string;
  readonly productName: string;
  readonly investorId: string;
  readonly advisors: readonly Advisor[];
  readonly feeBasis: FeeBasis;
  readonly templateVersion: string;
}

/** SAC registration codes: one letter and 13 digits (the public register's format). */
export { isSacRegistrationCode } from '@app/common';

/**
 * The contract text the investor signs. It names the party by account id only (no personal data in a document whose
 * hash is in the log) and states advisor names with registration codes, the fee basis and the rescission right (A6).
 */
export const renderAdvisoryContract = (terms: ContractTerms): DocumentVersion => {
  const advisors = terms.advisors.map((a) => `${a.name} (SAC ${a.sacRegistrationCode})`).join('; ');
  const text = [
    `Securities Investment Advisory Service Contract / 证券投资顾问服务协议`,
    `Serial No. / 合同编号: ${terms.serial}`,
    `Template version / 模板版本: ${terms.templateVersion}`,
    `Client account / 客户账户: ${terms.investorId}`,
    `Service / 服务产品: ${terms.productName} (${terms.productId})`,
    `Advisor(s) / 投资顾问: ${advisors}`,
    `Fee / 服务费: ${formatMoney(terms.feeBasis)} per ${terms.feeBasis.periodMonths} month(s), payable only to the company's account / 仅支付至公司账户`,
    `Rescission / 解除权: the client may rescind this contract by written notice within ${RESCISSION_WORKING_DAYS} working days of signing and receive a full refund / 客户可在签约后${RESCISSION_WORKING_DAYS}个工作日内书面解除本协议并获全额退款`,
    `The advisor does not promise returns and does not share gains or losses / 投资顾问不承诺收益，不分享收益或分担损失`,
  ].join('\n');
  return { documentId: `advisory-contract:${terms.serial}`, kind: 'advisory_contract', version: terms.templateVersion, text };
};

/** What an engagement's contract takes from the product the investor is buying. */
export interface ContractProduct {
  readonly productId: string;
  readonly name: string;
  readonly advisors: readonly Advisor[];
  readonly feeBasis: FeeBasis;
  readonly contractTemplateVersion: string;
}

/**
 * An engagement's contract under a serial: the preview renders it and the signature records its hash, both through
 * this function, so the hash signed is the hash previewed for the same serial and product (A6).
 */
export const engagementContract = (serial: string, investorId: string, product: ContractProduct): DocumentVersion =>
  renderAdvisoryContract({
    serial,
    productId: product.productId,
    productName: product.name,
    investorId,
    advisors: product.advisors,
    feeBasis: product.feeBasis,
    templateVersion: product.contractTemplateVersion,
  });
