/**
 * Content guard (V3): listing copy, advice and tipping messages must not promise returns or principal, claim
 * certainty, offer gain/loss sharing, or steer payment to a personal account. The text is normalised first so that
 * full-width characters, inserted spaces or punctuation, letter case and traditional characters do not get around it.
 */
export type ContentCategory = 'guaranteed_return' | 'certainty_claim' | 'gain_loss_sharing' | 'personal_account_payment';

export type ContentCheck =
  | { ok: true }
  | {
      ok: false;
      /** The phrase that matched, as found in the normalised text. */
      phrase: string;
      /** The rulebook rule (docs/domain.md). */
      rule: 'V3';
      category: string;
      /** The regulation behind the rule for this category. */
      legalBasis: string;
    };

const LEGAL_BASIS: Record<ContentCategory, string> = {
  guaranteed_return: 'AR 19',
  certainty_claim: 'AR 19',
  gain_loss_sharing: 'SL 161',
  personal_account_payment: 'AR 23',
};

interface Pattern {
  readonly category: ContentCategory;
  readonly regex: RegExp;
  /** Phrases that are refusals rather than promises ("不保本" is a disclaimer) are skipped when negated. */
  readonly negatable: boolean;
}

// Patterns run over the normalised text: lower case, no whitespace or filler punctuation, simplified characters.
const PATTERNS: readonly Pattern[] = [
  { category: 'guaranteed_return', regex: /保本/g, negatable: true },
  { category: 'guaranteed_return', regex: /保底收益|保息/g, negatable: true },
  { category: 'guaranteed_return', regex: /稳赚|包赚|稳挣/g, negatable: false },
  { category: 'guaranteed_return', regex: /保证(收益|回报|盈利|赚钱)/g, negatable: true },
  { category: 'guaranteed_return', regex: /(无|零)风险/g, negatable: true },
  { category: 'guaranteed_return', regex: /(承诺|保证)[^%]{0,16}?\d+(\.\d+)?%/g, negatable: true },
  { category: 'guaranteed_return', regex: /guaranteed?(returns?|profits?|income|gains?|principal)/g, negatable: false },
  { category: 'guaranteed_return', regex: /riskfree(returns?|profits?|investment)|norisk|zerorisk/g, negatable: false },
  { category: 'certainty_claim', regex: /必涨|必赚|只涨不跌|稳涨/g, negatable: false },
  { category: 'certainty_claim', regex: /(sureto|certainto|guaranteedto)(rise|goup|win)/g, negatable: false },
  { category: 'gain_loss_sharing', regex: /盈利分成|收益分成|利润分成|亏损我赔|亏了我赔|亏损包赔|亏损赔付|赔偿亏损/g, negatable: false },
  { category: 'gain_loss_sharing', regex: /profitshar(e|ing)|(we|i)(will)?(cover|compensate)(your)?loss(es)?/g, negatable: false },
  {
    category: 'personal_account_payment',
    regex: /(个人|私人)(银行)?(账户|账号|银行卡|卡号|微信|支付宝)|转账到(我|本人)/g,
    negatable: false,
  },
  { category: 'personal_account_payment', regex: /(personal|private)(bank)?account/g, negatable: false },
];

// Legitimate finance terms that contain a blocked phrase.
const ALLOWED_TERMS: readonly RegExp[] = [/无风险(利率|收益率|套利定价)/g, /riskfreerate/g];

const NEGATIONS = ['不', '非', '并不', '无法', '不能', '不会', '不可'];

// Traditional forms of the characters the patterns use.
const TRADITIONAL: Record<string, string> = {
  穩: '稳',
  賺: '赚',
  掙: '挣',
  證: '证',
  無: '无',
  風: '风',
  險: '险',
  漲: '涨',
  虧: '亏',
  損: '损',
  賠: '赔',
  帳: '账',
  賬: '账',
  號: '号',
  戶: '户',
  個: '个',
  轉: '转',
  諾: '诺',
  銀: '银',
  潤: '润',
  寶: '宝',
  償: '偿',
};

/**
 * Lower case, NFKC (full-width to half-width), traditional to simplified for the characters above, and no whitespace,
 * zero-width characters or punctuation that is only there to split a phrase. '%' and '.' survive: percentages need
 * them.
 */
export const normaliseContent = (text: string): string => {
  const folded = text.normalize('NFKC').toLowerCase();
  let out = '';
  for (const char of folded) {
    const simplified = TRADITIONAL[char] ?? char;
    if (/[\s\u200b-\u200f\u2060\ufeff_*~`'"|/\\,，、。·・…!！?？:：;；()（）[\]【】{}<>《》「」『』+=#^&@\-–—]/u.test(simplified)) continue;
    out += simplified;
  }
  // A dot only matters inside a number (12.5%); elsewhere it is a separator like the rest.
  return out.replace(/(?<!\d)\.|\.(?!\d)/g, '');
};

const negated = (text: string, index: number): boolean =>
  NEGATIONS.some((word) => text.slice(Math.max(0, index - word.length), index) === word);

const maskAllowedTerms = (text: string): string =>
  ALLOWED_TERMS.reduce((masked, term) => masked.replace(term, (match) => '\u0000'.repeat(match.length)), text);

export const checkContent = (text: string): ContentCheck => {
  const normalised = maskAllowedTerms(normaliseContent(text));
  for (const pattern of PATTERNS) {
    for (const match of normalised.matchAll(pattern.regex)) {
      if (pattern.negatable && negated(normalised, match.index)) continue;
      return {
        ok: false,
        phrase: match[0],
        rule: 'V3',
        category: pattern.category,
        legalBasis: LEGAL_BASIS[pattern.category],
      };
    }
  }
  return { ok: true };
};
