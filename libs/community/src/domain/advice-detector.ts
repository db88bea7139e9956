/**
 * V1: classification by function. A post that names a stock together with a price target, a buy/sell instruction or
 * timing is advice (an individual recommendation), whatever the author calls it. Only a registered advisor may give
 * it, through the advice records (A9). The detector is deliberately narrow on the stock side (an A-share code, a
 * 'stock name + 股' mention or a $TICKER) and broad on the action side, so that talk about markets, indices and
 * education passes and "600519 目标价 2000" does not.
 *
 * Signals:
 * - `stock_code`: a 6-digit A-share code (600/601/603/605/688 Shanghai, 000/001/002/003/300/301 Shenzhen, 8xx/4xx
 *   Beijing), optionally with .SH/.SZ/.BJ or an SH/SZ prefix; a $TICKER; or a name from the watch list below.
 * - `price_target`: 目标价, 看到/看涨到 N 元, 止盈/止损 N, "target price", "PT N", "price target".
 * - `trade_instruction`: 买入, 卖出, 加仓, 减仓, 清仓, 满仓, 抄底, 建仓, 追高, 逢低吸纳, 上车, 出货; buy, sell, go long,
 *   short, load up, add to (your) position, take profit.
 * - `timing`: 明天/下周/开盘/尾盘/立即/马上 with an instruction; "buy now", "sell tomorrow", "before the open".
 *
 * A post is advisory when it has a stock signal and at least one of price_target, trade_instruction or timing; or a
 * price target alone with a number (a target needs something to be a target of).
 */
export type AdviceSignal = 'stock_code' | 'stock_name' | 'price_target' | 'trade_instruction' | 'timing';

export interface AdviceClassification {
  readonly advisory: boolean;
  /** What was found, with the text that matched (for the evidence record and the refusal). */
  readonly signals: readonly { readonly signal: AdviceSignal; readonly match: string }[];
}

const STOCK_CODE = /(?:^|[^\d])((?:sh|sz|bj)?(?:60[0135]|688|00[0-3]|30[01]|8[3-9]\d|4[0-3]\d)\d{3}(?:\.(?:sh|sz|bj))?)(?!\d)/giu;
const TICKER = /\$[a-z]{1,5}\b/giu;
/** Well-known names; the list is illustrative, the code detector carries the rule. "xx股份" names are caught generically. */
const STOCK_NAMES =
  /(贵州茅台|茅台|宁德时代|比亚迪|中国平安|招商银行|五粮液|隆基绿能|东方财富|中芯国际|[\u4e00-\u9fa5]{2,4}股份|tesla|apple|nvidia|moutai)/giu;
const PRICE_TARGET =
  /(目标价|目标位|看到\s*\d+|看涨到\s*\d+|涨到\s*\d+|止盈\s*\d+|止损\s*\d+|\d+(\.\d+)?\s*元(附近|左右)?(买|卖|进|出)|target\s*price|price\s*target|\bpt\s*\$?\d+|to\s*\$\d+)/giu;
const INSTRUCTION =
  /(买入|卖出|加仓|减仓|清仓|满仓|抄底|建仓|追高|逢低吸纳|低吸|上车|出货|重仓|\bbuy\b|\bsell\b|go\s*long|\bshort\b|load\s*up|add\s*to\s*(your\s*)?position|take\s*profits?)/giu;
const TIMING = /(明天|明日|下周|开盘|尾盘|立即|马上|今天|周一|\bnow\b|tomorrow|before\s*the\s*(open|close)|at\s*the\s*open|this\s*week)/giu;

const matches = (regex: RegExp, text: string, signal: AdviceSignal, group = 0) =>
  [...text.matchAll(regex)].map((m) => ({ signal, match: (m[group] ?? m[0]).trim() }));

export const classifyAdvice = (text: string): AdviceClassification => {
  const folded = text.normalize('NFKC');
  const stock = [
    ...matches(STOCK_CODE, folded, 'stock_code', 1),
    ...matches(TICKER, folded, 'stock_code'),
    ...matches(STOCK_NAMES, folded, 'stock_name'),
  ];
  const target = matches(PRICE_TARGET, folded, 'price_target');
  const action = matches(INSTRUCTION, folded, 'trade_instruction');
  const timing = action.length ? matches(TIMING, folded, 'timing') : [];
  const numericTarget = target.some((t) => /\d/.test(t.match));
  const advisory = (stock.length > 0 && (target.length > 0 || action.length > 0)) || numericTarget;
  return { advisory, signals: advisory ? [...stock, ...target, ...action, ...timing] : [] };
};
