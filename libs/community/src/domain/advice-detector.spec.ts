import { classifyAdvice } from './advice-detector';

describe('V1 advice detector: stock-specific picks, price targets and buy/sell timing are advice', () => {
  it.each([
    ['600519 目标价 2000', 'a code with a price target'],
    ['明天开盘买入 000858，稳稳的', 'a code with a buy instruction and timing'],
    ['宁德时代可以加仓了', 'a name with an add-to-position instruction'],
    ['300750.SZ 逢低吸纳', 'a suffixed code with an accumulate instruction'],
    ['茅台看到 2500 元', 'a name with a target'],
    ['Buy 600036 now, price target 45', 'English: code, instruction, target, timing'],
    ['Load up on $NVDA before the open', 'English: ticker and instruction'],
    ['sell SH601318 tomorrow', 'English: prefixed code with timing'],
    ['止损 18.5 止盈 25', 'a numeric stop and target without a name'],
  ])('V1 advisory: %s (%s)', (text) => {
    const result = classifyAdvice(text);
    expect(result.advisory).toBe(true);
    expect(result.signals.length).toBeGreaterThan(0);
  });

  it.each([
    ['今天大盘震荡，大家注意控制仓位，学习一下资产配置', 'market talk without a stock'],
    ['指数基金定投的原理是什么？', 'an education question'],
    ['我持有 600519 很多年了，公司年报写得很清楚', 'a code without an instruction or target'],
    ['What is a P/E ratio and why does it matter?', 'English education'],
    ['Diversify across index funds; no single stock picks here.', 'English general guidance'],
    ['我的手机号是 13800138000', 'a long number is not a stock code'],
  ])('V1 not advisory: %s (%s)', (text) => {
    expect(classifyAdvice(text)).toEqual({ advisory: false, signals: [] });
  });

  it('V1 names what it found', () => {
    const { signals } = classifyAdvice('明天开盘买入 000858');
    expect(signals).toEqual(
      expect.arrayContaining([
        { signal: 'stock_code', match: '000858' },
        { signal: 'trade_instruction', match: '买入' },
        { signal: 'timing', match: '明天' },
      ]),
    );
  });
});
