/**
 * Risk-tolerance questionnaire RQ-2025.1 for individual investors, modelled on the questionnaires mainland brokers
 * publish under the Suitability Measures. Scores add up to at most 100. Data only: a new version is a new file.
 */
import type { Questionnaire } from './questionnaire';

export const RQ_2025_1: Questionnaire = {
  version: 'RQ-2025.1',
  title: { en: 'Individual investor risk tolerance assessment', zh: '个人投资者风险承受能力评估问卷' },
  questions: [
    {
      id: 'q01_civil_capacity',
      topic: 'civil_capacity',
      text: { en: 'Do you have full capacity for civil conduct?', zh: '您是否具有完全民事行为能力？' },
      options: [
        { id: 'a', text: { en: 'Yes', zh: '是' }, score: 0 },
        { id: 'b', text: { en: 'No', zh: '否' }, score: 0, lowestCategory: 'no_full_civil_capacity' },
      ],
    },
    {
      id: 'q02_age',
      topic: 'age',
      text: { en: 'What is your age?', zh: '您的年龄是？' },
      options: [
        { id: 'a', text: { en: '18–25', zh: '18–25岁' }, score: 4 },
        { id: 'b', text: { en: '26–50', zh: '26–50岁' }, score: 6 },
        { id: 'c', text: { en: '51–60', zh: '51–60岁' }, score: 4 },
        { id: 'd', text: { en: '61–70', zh: '61–70岁' }, score: 2 },
        { id: 'e', text: { en: 'Over 70', zh: '70岁以上' }, score: 0 },
      ],
    },
    {
      id: 'q03_income',
      topic: 'income',
      text: { en: 'What is your average annual household income over the last three years?', zh: '您家庭近三年的年均收入为？' },
      options: [
        { id: 'a', text: { en: 'Under ¥100,000', zh: '10万元以下' }, score: 1 },
        { id: 'b', text: { en: '¥100,000–500,000', zh: '10万–50万元' }, score: 4 },
        { id: 'c', text: { en: '¥500,000–1,000,000', zh: '50万–100万元' }, score: 6 },
        { id: 'd', text: { en: 'Over ¥1,000,000', zh: '100万元以上' }, score: 8 },
      ],
    },
    {
      id: 'q04_assets',
      topic: 'financial_assets',
      text: {
        en: 'What are your financial assets (deposits, securities, funds, wealth products)?',
        zh: '您的金融资产（存款、证券、基金、理财等）为？',
      },
      options: [
        { id: 'a', text: { en: 'Under ¥500,000', zh: '50万元以下' }, score: 1 },
        { id: 'b', text: { en: '¥500,000–3,000,000', zh: '50万–300万元' }, score: 4 },
        { id: 'c', text: { en: '¥3,000,000–5,000,000', zh: '300万–500万元' }, score: 7 },
        { id: 'd', text: { en: 'Over ¥5,000,000', zh: '500万元以上' }, score: 10 },
      ],
    },
    {
      id: 'q05_debt',
      topic: 'debt',
      text: {
        en: 'How large are your outstanding debts (mortgage, loans, credit cards)?',
        zh: '您目前的负债（房贷、贷款、信用卡等）情况是？',
      },
      options: [
        { id: 'a', text: { en: 'Large relative to my income and hard to repay', zh: '负债较重，偿还压力大' }, score: 0 },
        { id: 'b', text: { en: 'Moderate and manageable', zh: '有一定负债，可以承受' }, score: 3 },
        { id: 'c', text: { en: 'None', zh: '没有负债' }, score: 6 },
      ],
    },
    {
      id: 'q06_experience_years',
      topic: 'experience',
      text: {
        en: 'How many years have you invested in stocks, funds, bonds or similar products?',
        zh: '您投资股票、基金、债券等产品的年限是？',
      },
      options: [
        { id: 'a', text: { en: 'None', zh: '没有经验' }, score: 0 },
        { id: 'b', text: { en: 'Less than 2 years', zh: '2年以下' }, score: 3 },
        { id: 'c', text: { en: '2–5 years', zh: '2–5年' }, score: 6 },
        { id: 'd', text: { en: '5–10 years', zh: '5–10年' }, score: 8 },
        { id: 'e', text: { en: 'More than 10 years', zh: '10年以上' }, score: 10 },
      ],
    },
    {
      id: 'q07_products_held',
      topic: 'experience',
      text: { en: 'Which is the riskiest kind of product you have invested in?', zh: '您投资过的风险最高的产品是？' },
      options: [
        { id: 'a', text: { en: 'Bank deposits or government bonds only', zh: '仅银行存款或国债' }, score: 1 },
        { id: 'b', text: { en: 'Bond funds or bank wealth products', zh: '债券基金或银行理财' }, score: 3 },
        { id: 'c', text: { en: 'Stocks or equity funds', zh: '股票或股票型基金' }, score: 6 },
        { id: 'd', text: { en: 'Margin trading, futures, options or other derivatives', zh: '融资融券、期货、期权等衍生品' }, score: 10 },
      ],
    },
    {
      id: 'q08_knowledge',
      topic: 'knowledge',
      text: { en: 'How would you describe your knowledge of investments?', zh: '您的投资知识水平是？' },
      options: [
        { id: 'a', text: { en: 'Very limited', zh: '非常有限' }, score: 1 },
        { id: 'b', text: { en: 'Basic: I understand the main risks of common products', zh: '一般：了解常见产品的主要风险' }, score: 4 },
        { id: 'c', text: { en: 'Good: I follow markets and analyse products myself', zh: '丰富：能关注市场并自行分析产品' }, score: 7 },
        { id: 'd', text: { en: 'Professional: I work or studied in finance', zh: '专业：从事或学习过金融相关专业' }, score: 10 },
      ],
    },
    {
      id: 'q09_objective',
      topic: 'objectives',
      text: { en: 'What is your main investment objective?', zh: '您的主要投资目标是？' },
      options: [
        { id: 'a', text: { en: 'Preserve capital', zh: '保持本金安全' }, score: 1 },
        { id: 'b', text: { en: 'Steady income with small fluctuations', zh: '获得稳定收益，波动较小' }, score: 4 },
        { id: 'c', text: { en: 'Balanced growth with some fluctuations', zh: '资产稳健增长，可承受一定波动' }, score: 7 },
        { id: 'd', text: { en: 'Substantial growth, accepting large fluctuations', zh: '追求较高收益，可承受较大波动' }, score: 10 },
      ],
    },
    {
      id: 'q10_horizon',
      topic: 'horizon',
      text: { en: 'How long do you expect to keep this money invested?', zh: '您计划的投资期限是？' },
      options: [
        { id: 'a', text: { en: 'Less than 1 year', zh: '1年以内' }, score: 2 },
        { id: 'b', text: { en: '1–3 years', zh: '1–3年' }, score: 5 },
        { id: 'c', text: { en: '3–5 years', zh: '3–5年' }, score: 7 },
        { id: 'd', text: { en: 'More than 5 years', zh: '5年以上' }, score: 8 },
      ],
    },
    {
      id: 'q11_loss_tolerance',
      topic: 'loss_tolerance',
      text: { en: 'What is the largest loss of principal you could bear?', zh: '您能承受的最大本金损失是？' },
      options: [
        {
          id: 'a',
          text: { en: 'I cannot accept any loss', zh: '不能承受任何损失' },
          score: 0,
          lowestCategory: 'unwilling_to_bear_any_loss',
        },
        { id: 'b', text: { en: 'Up to 10%', zh: '10%以内' }, score: 4 },
        { id: 'c', text: { en: '10%–30%', zh: '10%–30%' }, score: 8 },
        { id: 'd', text: { en: '30%–50%', zh: '30%–50%' }, score: 12 },
        { id: 'e', text: { en: 'More than 50%', zh: '50%以上' }, score: 14 },
      ],
    },
    {
      id: 'q12_drawdown_reaction',
      topic: 'loss_tolerance',
      text: { en: 'If your investment fell 20% in a short time, what would you do?', zh: '如果您的投资短期内下跌20%，您会？' },
      options: [
        { id: 'a', text: { en: 'Sell everything', zh: '全部卖出' }, score: 1 },
        { id: 'b', text: { en: 'Sell part of it', zh: '卖出一部分' }, score: 3 },
        { id: 'c', text: { en: 'Hold and wait', zh: '继续持有' }, score: 5 },
        { id: 'd', text: { en: 'Buy more', zh: '加仓买入' }, score: 8 },
      ],
    },
  ],
  bands: [
    { category: 'C1', minScore: 0, maxScore: 20 },
    { category: 'C2', minScore: 21, maxScore: 36 },
    { category: 'C3', minScore: 37, maxScore: 53 },
    { category: 'C4', minScore: 54, maxScore: 81 },
    { category: 'C5', minScore: 82, maxScore: 100 },
  ],
};
