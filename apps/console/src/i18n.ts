/** Chinese (default) and English; the language picker in the header switches at once and is remembered. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';

const en = {
  app: { title: 'Advisory marketplace console', signOut: 'Sign out', language: 'Language', skip: 'Skip to content' },
  login: { title: 'Sign in', email: 'Email', password: 'Password', submit: 'Sign in', register: 'Register as an investor', displayName: 'Name', dateOfBirth: 'Date of birth' },
  state: { loading: 'Loading…', empty: 'Nothing here yet.', error: 'The server refused', code: 'Code', rule: 'Rule', violations: 'Every rule that refused' },
  nav: {
    products: 'Products', advisory: 'Advisory', timeline: 'My timeline',
    review: 'Review queue', returnVisits: 'Return visits', investorFile: 'Investor file', log: 'Log search', exports: 'Evidence export',
    verify: 'Verify the log', checkpoints: 'Checkpoints', access: 'Access log',
    listings: 'Listings and plans', growth: 'Growth dashboard', campaigns: 'Campaigns', users: 'Users and sessions',
  },
  reason: { title: 'Why do you need this evidence? (E5)', hint: 'Your reason is recorded with who you are and what you ask.', field: 'Reason', submit: 'Continue', current: 'Reason on record' },
  common: { save: 'Save', submit: 'Submit', cancel: 'Cancel', next: 'Next page', search: 'Search', hash: 'SHA-256', hashMatches: 'The text shown hashes to this value', hashDiffers: 'The text shown does NOT hash to the confirmed value', status: 'Status', actions: 'Actions', at: 'At', type: 'Type', actor: 'Actor', title: 'Title', reload: 'Reload' },
  investor: {
    catalog: 'Value-added products', subscribe: 'Subscribe', subscribed: 'Subscribed', plan: 'Plan',
    account: 'Advisory account', openAccount: 'Open the advisory account', legalName: 'Legal name', nationalId: 'National ID', mobile: 'Mobile',
    consent: 'I consent separately to the processing of sensitive personal data', accountOpen: 'Account open',
    questionnaire: 'Risk tolerance questionnaire', takeQuestionnaire: 'Submit answers', confirmAssessment: 'Confirm my result', category: 'Your category',
    advisoryProducts: 'Advisory products', start: 'Get the matching opinion', engagement: 'Engagement',
    opinion: 'Matching opinion', documents: 'Documents to read and confirm', confirm: 'I have read it: confirm', confirmed: 'Confirmed',
    insist: 'I know the risks and insist on buying', insistence: 'Insistence statement', contract: 'Advisory contract', sign: 'Sign the contract',
    buy: 'Buy', rescind: 'Rescind', rescindNotice: 'Rescission notice', rescinded: 'Rescinded', allEngagements: 'My engagements', riskLevel: 'Risk level',
  },
  rules: {
    SUITABILITY: { WITHIN_TOLERANCE: 'The product’s risk level is within what your assessment allows (SM 18).', ABOVE_RISK_TOLERANCE: 'The product is riskier than your assessment allows (SM 18). You may still buy only after a special risk warning and a written insistence.', OBJECTIVES_MISMATCH: 'The product does not fit the objectives, horizon or varieties you declared (SM 22).', LOWEST_CATEGORY: 'Investors in the lowest risk category may be offered only the lowest-risk products (SM 19).' },
    match: 'Suitable', mismatch_allowed_with_warning: 'Not suitable: allowed only with a special risk warning and your insistence', mismatch_refused: 'Not suitable: refused',
  },
  compliance: {
    maker: 'Maker', checker: 'Checker', submittedBy: 'Submitted by', approve: 'Approve', reject: 'Reject', note: 'Note', family: 'Family by function',
    findings: 'Content guard findings', noFindings: 'No prohibited phrases found', ratingChange: 'Pending risk-rating change', checklist: 'Return-visit checklist', record: 'Record the visit',
    investorId: 'Investor ID', snapshotAt: 'State at', snapshot: 'State at that instant', events: 'Events', documentText: 'Exact text', download: 'Download evidence (JSON Lines)',
    startVerification: 'Start verification', progress: 'Progress', result: 'Result', cosignatures: 'Signatures (log key and witnesses)', treeSize: 'Tree size', rootHash: 'Root hash',
  },
  product: { newListing: 'New listing', kind: 'Kind', description: 'Description', price: 'Price (minor units)', period: 'Billing period', planName: 'Plan name', planId: 'Plan ID', terms: 'Advisory terms', riskFactors: 'Risk factor sheet', horizon: 'Horizon', varieties: 'Varieties', advisorName: 'Advisor', sac: 'SAC registration code', feeBasis: 'Fee basis', create: 'Create draft', update: 'Save changes', submitForReview: 'Submit for review', publish: 'Publish', retire: 'Retire', proposeRating: 'Propose rating change', reason: 'Reason', edit: 'Edit', growthSlot: 'The growth dashboard (MAU, funnel, RFM, revenue by family) and campaigns appear here once the growth context serves them.' },
  admin: { roles: 'Roles', grant: 'Grant', revoke: 'Revoke', disable: 'Disable', enable: 'Enable', endSessions: 'End all sessions', reason: 'Reason', registeredAt: 'Registered', sessionsNote: 'The server offers ending every session of a user; it does not list sessions.' },
};

type Tree = { [key: string]: string | Tree };
const zh: Tree = {
  app: { title: '投顾商城控制台', signOut: '退出', language: '语言', skip: '跳到正文' },
  login: { title: '登录', email: '邮箱', password: '密码', submit: '登录', register: '注册为投资者', displayName: '姓名', dateOfBirth: '出生日期' },
  state: { loading: '加载中…', empty: '暂无内容。', error: '服务器拒绝了请求', code: '错误码', rule: '规则', violations: '所有拒绝的规则' },
  nav: {
    products: '产品', advisory: '投顾', timeline: '我的时间线',
    review: '审核队列', returnVisits: '回访', investorFile: '投资者档案', log: '日志检索', exports: '证据导出',
    verify: '日志校验', checkpoints: '检查点', access: '访问日志',
    listings: '产品与套餐', growth: '增长看板', campaigns: '营销活动', users: '用户与会话',
  },
  reason: { title: '请先说明查阅证据的理由（E5）', hint: '理由将与您的身份和查询内容一并记录。', field: '理由', submit: '继续', current: '已记录的理由' },
  common: { save: '保存', submit: '提交', cancel: '取消', next: '下一页', search: '检索', hash: 'SHA-256', hashMatches: '所示文本的哈希与此值一致', hashDiffers: '所示文本的哈希与确认值不一致', status: '状态', actions: '操作', at: '时间', type: '类型', actor: '操作者', title: '标题', reload: '刷新' },
  investor: {
    catalog: '增值产品', subscribe: '订阅', subscribed: '已订阅', plan: '套餐',
    account: '投顾账户', openAccount: '开立投顾账户', legalName: '姓名', nationalId: '身份证号', mobile: '手机号',
    consent: '我单独同意处理敏感个人信息', accountOpen: '账户已开立',
    questionnaire: '风险承受能力问卷', takeQuestionnaire: '提交答案', confirmAssessment: '确认评估结果', category: '您的风险等级',
    advisoryProducts: '投顾产品', start: '获取适当性匹配意见', engagement: '签约',
    opinion: '适当性匹配意见', documents: '需阅读并确认的文件', confirm: '我已阅读：确认', confirmed: '已确认',
    insist: '我已知晓风险，坚持购买', insistence: '坚持购买声明', contract: '投资顾问协议', sign: '签署协议',
    buy: '购买', rescind: '解除合同', rescindNotice: '解除通知', rescinded: '已解除', allEngagements: '我的签约', riskLevel: '风险等级',
  },
  rules: {
    SUITABILITY: { WITHIN_TOLERANCE: '产品风险等级在您的评估结果允许范围内（SM 18）。', ABOVE_RISK_TOLERANCE: '产品风险高于您的评估结果允许的范围（SM 18）。须经特别风险警示并书面坚持购买后方可购买。', OBJECTIVES_MISMATCH: '产品与您声明的投资目标、期限或品种不符（SM 22）。', LOWEST_CATEGORY: '最低风险等级的投资者只能购买最低风险的产品（SM 19）。' },
    match: '匹配', mismatch_allowed_with_warning: '不匹配：须经特别风险警示并坚持购买', mismatch_refused: '不匹配：拒绝',
  },
  compliance: {
    maker: '经办人', checker: '复核人', submittedBy: '提交人', approve: '通过', reject: '驳回', note: '备注', family: '按功能归类',
    findings: '内容审查发现', noFindings: '未发现违禁用语', ratingChange: '待审风险评级变更', checklist: '回访清单', record: '记录回访',
    investorId: '投资者 ID', snapshotAt: '查看时点', snapshot: '该时点的状态', events: '事件', documentText: '原文', download: '下载证据（JSON Lines）',
    startVerification: '开始校验', progress: '进度', result: '结果', cosignatures: '签名（日志密钥与见证方）', treeSize: '树大小', rootHash: '根哈希',
  },
  product: { newListing: '新建产品', kind: '类型', description: '描述', price: '价格（分）', period: '计费周期', planName: '套餐名称', planId: '套餐 ID', terms: '投顾条款', riskFactors: '风险因素表', horizon: '期限', varieties: '品种', advisorName: '投资顾问', sac: '证券业协会登记编号', feeBasis: '收费方式', create: '创建草稿', update: '保存修改', submitForReview: '提交审核', publish: '上架', retire: '下架', proposeRating: '提议评级变更', reason: '理由', edit: '编辑', growthSlot: '增长看板（MAU、漏斗、RFM、按产品族收入）与营销活动将在增长模块上线后显示于此。' },
  admin: { roles: '角色', grant: '授予', revoke: '撤销', disable: '停用', enable: '启用', endSessions: '结束全部会话', reason: '理由', registeredAt: '注册时间', sessionsNote: '服务器支持结束某用户的全部会话，但不提供会话列表。' },
};

const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem('console.lang');
void i18next.use(initReactI18next).init({
  resources: { en: { translation: en }, zh: { translation: zh } },
  lng: stored === 'en' || stored === 'zh' ? stored : 'zh',
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
i18next.on('languageChanged', (lng) => {
  localStorage.setItem('console.lang', lng);
  document.documentElement.lang = lng === 'zh' ? 'zh-CN' : 'en';
});
document.documentElement.lang = i18next.language === 'zh' ? 'zh-CN' : 'en';

export default i18next;
