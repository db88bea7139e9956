import { checkContent, normaliseContent } from './content-guard';

const blocked = (text: string) => {
  const result = checkContent(text);
  if (result.ok) throw new Error(`expected "${text}" to be blocked`);
  return result;
};

describe('content guard (V3)', () => {
  describe('V3 blocks promised or guaranteed returns and principal (AR 19)', () => {
    it.each([
      ['本产品保本', '保本'],
      ['跟着操作稳赚', '稳赚'],
      ['我们保证收益', '保证收益'],
      ['无风险套现', '无风险'],
      ['承诺年化收益20%', '承诺年化收益20%'],
      ['承诺月收益 12.5 %', '承诺月收益12.5%'],
      ['Guaranteed return every month', 'guaranteedreturn'],
    ])('"%s" is blocked on "%s"', (text, phrase) => {
      expect(blocked(text)).toEqual({ ok: false, phrase, rule: 'V3', category: 'guaranteed_return', legalBasis: 'AR 19' });
    });
  });

  it('V3 blocks certainty claims such as 必涨 (AR 19)', () => {
    expect(blocked('这只票明天必涨')).toMatchObject({ phrase: '必涨', rule: 'V3', category: 'certainty_claim' });
  });

  it.each(['盈利分成，三七开', '亏损我赔'])('V3 blocks gain/loss sharing "%s" (SL 161)', (text) => {
    expect(blocked(text)).toMatchObject({ rule: 'V3', category: 'gain_loss_sharing', legalBasis: 'SL 161' });
  });

  it.each(['请转账到个人账户', '打款至私人账户', 'pay into my personal account', '转到个人支付宝'])(
    'V3 blocks payment to a personal account: "%s" (AR 23)',
    (text) => {
      expect(blocked(text)).toMatchObject({ rule: 'V3', category: 'personal_account_payment', legalBasis: 'AR 23' });
    },
  );

  describe('V3 is not fooled by trivial evasions', () => {
    it.each([
      ['full-width letters', 'ＧＵＡＲＡＮＴＥＥＤ　ＲＥＴＵＲＮ'],
      ['inserted spaces', '保 本'],
      ['inserted punctuation', '稳-赚'],
      ['dots between characters', '保.本'],
      ['zero-width space', '必\u200b涨'],
      ['upper case', 'GUARANTEED Returns'],
      ['full-width percent', '承诺收益１５％'],
      ['traditional characters', '穩賺不賠'],
      ['traditional account', '轉賬到個人帳戶'],
      ['split English words', 'personal  ac count'],
    ])('%s: "%s"', (_label, text) => {
      expect(checkContent(text).ok).toBe(false);
    });
  });

  describe('V3 lets honest copy through', () => {
    it.each([
      '投资有风险，入市需谨慎',
      '本产品不保本，不保证收益',
      '我们不承诺任何收益率，过往业绩不代表未来，10% 的波动很常见',
      '课程讲解无风险利率与资本资产定价模型',
      'Level-2 行情，十档买卖盘口，实时推送',
      'Returns are not guaranteed; the risk-free rate is explained in lesson 3',
    ])('"%s" passes', (text) => {
      expect(checkContent(text)).toEqual({ ok: true });
    });
  });

  it('normalises width, case, spacing and traditional characters', () => {
    expect(normaliseContent('Ａ b\u3000C 穩賺 12.5％。')).toBe('abc稳赚12.5%');
  });
});
