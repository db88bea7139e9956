/**
 * The texts investors are shown, by version. Data, not code: a new wording is a new version added here, and old
 * versions stay because confirmations in the log reference their hashes.
 */
import { DocumentKind, DocumentVersion } from '../documents';

const RISK_DISCLOSURE_2025_1 = `证券投资顾问业务风险揭示书 / Risk Disclosure for Securities Investment Advisory Services (RD-2025.1)

1. 证券市场存在价格波动风险，您可能损失部分或全部本金。 Securities prices fluctuate; you may lose part or all of your principal.
2. 投资顾问提供的投资建议仅供参考，不构成对收益的承诺或保证，投资决策由您独立作出并自行承担后果。 Advice is for reference only, does not promise or guarantee any return, and you make and bear your own investment decisions.
3. 投资顾问不得代您作出投资决策，不得接受全权委托，不得与您约定分享投资收益或分担投资损失。 The advisor will not decide for you, manage your account, or share your gains or losses.
4. 服务费用仅支付至本公司账户，任何要求向个人账户付款的行为均属违规。 Fees are paid only to the company's account; any request to pay a personal account is a violation.
5. 您可在签署服务协议后5个工作日内以书面形式解除协议并获得全额退款。 You may rescind the contract in writing within 5 working days of signing for a full refund.
6. 您应根据自身风险承受能力审慎选择服务产品。 Choose services that suit your risk tolerance.
`;

const SPECIAL_RISK_WARNING_2025_1 = `特别风险警示书 / Special Risk Warning (SRW-2025.1)

您申请购买的服务产品风险等级高于您的风险承受能力等级，或与您的投资目标不匹配。本公司已向您说明该产品的风险，并且未向您推介该产品。
The service you asked to buy is above your assessed risk tolerance or does not fit your investment objectives. We have explained its risks and have not recommended it to you.
如您坚持购买，您可能承受超出您承受能力的损失。请确认您已充分理解上述风险，并自主决定购买。
If you insist on buying, you may suffer losses beyond what you can bear. Confirm that you understand these risks and decide to buy on your own initiative.
`;

const SENSITIVE_DATA_CONSENT_2025_1 = `敏感个人信息处理单独同意书 / Separate Consent to the Processing of Sensitive Personal Information (PIPL-2025.1)

1. 处理的信息：您的身份证件号码、手机号码、姓名，以及收入、资产、投资经验和投资目标等财务信息。 What we process: your national ID number, mobile number and name, and financial information: income, assets, investment experience and objectives.
2. 处理目的：实名开户、投资者适当性管理（风险承受能力评估与产品匹配）及法定留存。 Why: real-name account opening, suitability management (risk assessment and product matching) and statutory record keeping.
3. 必要性与影响：缺少上述信息将无法为您开立投顾账户；证件号码与手机号码加密存储，仅在法律要求时使用。 Necessity and impact: without this information no advisory account can be opened; your ID and mobile numbers are stored encrypted and used only where the law requires.
4. 保存期限：适当性资料自合同终止或最后一次交互之日起保存不少于二十年。 Retention: suitability records are kept at least 20 years after the contract ends or the last interaction.
5. 您的权利：您可以查阅、复制您的信息，可以撤回本同意；删除请求在法定留存义务允许的范围内执行。 Your rights: you may access and copy your information and withdraw this consent; deletion requests are honoured as far as statutory retention allows.
6. 本同意独立于其他任何授权，您可以拒绝。 This consent is separate from any other authorisation, and you may refuse it.
`;

const DOCUMENTS: readonly DocumentVersion[] = [
  { documentId: 'sensitive-data-consent', kind: 'sensitive_data_consent', version: 'PIPL-2025.1', text: SENSITIVE_DATA_CONSENT_2025_1 },
  { documentId: 'risk-disclosure', kind: 'risk_disclosure', version: 'RD-2025.1', text: RISK_DISCLOSURE_2025_1 },
  { documentId: 'special-risk-warning', kind: 'special_risk_warning', version: 'SRW-2025.1', text: SPECIAL_RISK_WARNING_2025_1 },
];

export const CURRENT_SPECIAL_RISK_WARNING_VERSION = 'SRW-2025.1';
export const CURRENT_SENSITIVE_DATA_CONSENT_VERSION = 'PIPL-2025.1';

/**
 * The version of each kind that new confirmations are made against. A risk disclosure's version is the one the
 * listing names (L3); older versions stay served so that recorded confirmations can be read back, never confirmed anew.
 */
const CURRENT: Partial<Record<DocumentKind, string>> = {
  special_risk_warning: CURRENT_SPECIAL_RISK_WARNING_VERSION,
  sensitive_data_consent: CURRENT_SENSITIVE_DATA_CONSENT_VERSION,
};

export const findDocument = (kind: DocumentKind, version: string): DocumentVersion | undefined =>
  DOCUMENTS.find((d) => d.kind === kind && d.version === version);

export const currentDocument = (kind: DocumentKind): DocumentVersion | undefined => {
  const version = CURRENT[kind];
  return version === undefined ? undefined : findDocument(kind, version);
};

export const isCurrentDocument = (doc: DocumentVersion): boolean => CURRENT[doc.kind] === doc.version;

export const documentVersions = (): readonly DocumentVersion[] => DOCUMENTS;
