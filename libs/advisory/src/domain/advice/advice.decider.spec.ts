import { given } from '@app/common/testing';
import { ADVISOR_ID, advisor, step } from '../testing/fixtures';
import { contentHash } from '../documents';
import { AdviceEventType, ContentGuard, PublishAdvice, makeAdviceDecider } from './advice.decider';

/** A stand-in for the catalog's guard with the same contract: which phrase matched, which rule it broke. */
const guard: ContentGuard = (text) => (text.includes('稳赚') ? { ok: false, phrase: '稳赚', rule: 'V3' } : { ok: true });
const decider = makeAdviceDecider(guard);

const publish = (overrides: Partial<PublishAdvice> = {}): PublishAdvice => ({
  type: 'PublishAdvice',
  adviceId: 'adv-1',
  productId: 'prod-1',
  productAdvisors: [advisor],
  authorRoles: ['advisor'],
  content: '建议关注新能源板块的估值修复机会，注意控制仓位。',
  basis: { kind: 'research_report', issuer: '某证券研究所', reportDate: '2026-02-27' },
  step: step(ADVISOR_ID),
  ...overrides,
});

describe('A9 advice records', () => {
  it('A9: records the advice with its basis, its hash and the advisor’s SAC code', () => {
    const command = publish();
    given(decider)
      .when(command)
      .then([
        {
          type: AdviceEventType.AdvicePublished,
          data: {
            adviceId: 'adv-1',
            productId: 'prod-1',
            advisorId: ADVISOR_ID,
            advisorName: '李明',
            sacRegistrationCode: 'A0120620070001',
            content: command.content,
            contentHash: contentHash(command.content),
            basis: command.basis,
            step: step(ADVISOR_ID),
          },
        },
      ]);
  });

  it('A9: a model version is an acceptable basis', () => {
    given(decider)
      .when(publish({ basis: { kind: 'model', modelVersion: 'momentum-v3.2' } }))
      .thenEvents();
  });

  it('A9: advice without a basis is refused', () => {
    given(decider)
      .when(publish({ basis: { kind: 'research_report', issuer: '', reportDate: '2026-02-27' } }))
      .thenFails('ADVICE.BASIS_MISSING', 'A9');
    given(decider)
      .when(publish({ basis: { kind: 'model', modelVersion: ' ' } }))
      .thenFails('ADVICE.BASIS_MISSING', 'A9');
    given(decider)
      .when(publish({ basis: { kind: 'research_report', issuer: 'X', reportDate: '2026-03-03' } }))
      .thenFails('ADVICE.BASIS_MISSING', 'A9');
  });

  it('V3: advice promising returns is blocked, naming the phrase', () => {
    const error = given(decider)
      .when(publish({ content: '这只股票稳赚不赔' }))
      .thenFails('ADVICE.CONTENT_BLOCKED', 'V3');
    expect(error.details).toEqual({ phrase: '稳赚', guardRule: 'V3' });
  });

  it('A9: only an advisor attached to the product publishes to its subscribers', () => {
    given(decider)
      .when(publish({ step: step('advisor-2') }))
      .thenFails('ADVICE.NOT_PRODUCT_ADVISOR', 'A9');
    given(decider)
      .when(publish({ authorRoles: ['product_manager'] }))
      .thenFails('ADVICE.NOT_AN_ADVISOR', 'A9');
  });

  it('E1: a published advice record is never rewritten', () => {
    const history = given(decider).when(publish()).thenEvents();
    given(decider, history).when(publish()).thenFails('ADVICE.ALREADY_PUBLISHED', 'E1');
  });
});
