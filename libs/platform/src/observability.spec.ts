import { traceContextOf, traceparentOf } from './observability';

describe('W3C trace context', () => {
  const incoming = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  it('continues an incoming trace with a span of its own', () => {
    const trace = traceContextOf(incoming);
    expect(trace).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      parentSpanId: '00f067aa0ba902b7',
      spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
      flags: '01',
    });
    expect(trace.spanId).not.toBe('00f067aa0ba902b7');
    expect(traceparentOf(trace)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${trace.spanId}-01`);
  });

  it('accepts a later version with more fields, as the recommendation asks', () => {
    expect(traceContextOf(`01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra`).parentSpanId).toBe('00f067aa0ba902b7');
  });

  it.each([
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01',
    `${incoming}-extra`,
  ])('starts a new trace for %j', (header) => {
    const trace = traceContextOf(header);
    expect(trace.parentSpanId).toBeUndefined();
    expect(trace.traceId).toMatch(/^(?!0{32})[0-9a-f]{32}$/);
    expect(trace.flags).toBe('00');
  });
});
