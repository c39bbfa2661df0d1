import { FailureAggregator, FAILURE_WINDOW_MS } from './failure-aggregator.js';

const T0 = Date.parse('2026-11-22T12:00:00Z');
const at = (ms: number) => new Date(T0 + ms);

describe('FailureAggregator', () => {
  it('records the first failure at once and sums the rest of the minute into one event', () => {
    const failures = new FailureAggregator();
    const first = failures.add('m2mc_a', 'client_secret_basic', at(0), false);
    expect(first?.event).toEqual({
      type: 'authentication.failed',
      clientId: 'm2mc_a',
      ownerId: null,
      actor: { type: 'client', id: 'm2mc_a' },
      details: { method: 'client_secret_basic', count: 1 },
    });
    for (let i = 1; i <= 500; i++) {
      expect(failures.add('m2mc_a', 'client_secret_basic', at(i * 10), i % 2 === 0)).toBeNull();
    }
    expect(failures.drain(T0 + FAILURE_WINDOW_MS - 1)).toEqual([]);
    const [summary] = failures.drain(T0 + FAILURE_WINDOW_MS);
    expect(summary!.event.details).toEqual({
      method: 'client_secret_basic',
      count: 500,
      refused_by_budget: 250,
      first_at: at(0).toISOString(),
      last_at: at(5000).toISOString(),
    });
    expect(summary!.at).toEqual(at(0));
    expect(failures.drain(T0 + 10 * FAILURE_WINDOW_MS)).toEqual([]);
  });

  it('writes nothing more for a single failure', () => {
    const failures = new FailureAggregator();
    failures.add('m2mc_a', 'client_secret_post', at(0), false);
    expect(failures.drain(T0 + FAILURE_WINDOW_MS)).toEqual([]);
  });

  it('opens a new window after a minute', () => {
    const failures = new FailureAggregator();
    failures.add('m2mc_a', 'client_secret_post', at(0), false);
    expect(
      failures.add('m2mc_a', 'client_secret_post', at(FAILURE_WINDOW_MS), false),
    ).not.toBeNull();
  });

  it('keeps ids and methods apart, and drains everything on demand', () => {
    const failures = new FailureAggregator();
    for (const id of ['a', 'b']) {
      failures.add(id, 'client_secret_basic', at(0), false);
      failures.add(id, 'client_secret_basic', at(1), false);
    }
    failures.add('a', 'client_secret_post', at(2), true);
    const drained = failures.drain(T0 + 3, true);
    expect(
      drained.map((e) => [e.event.clientId, e.event.details!['method'], e.event.details!['count']]),
    ).toEqual([
      ['a', 'client_secret_basic', 1],
      ['b', 'client_secret_basic', 1],
      ['a', 'client_secret_post', 1],
    ]);
  });

  it('bounds the events of a minute however many ids are tried: the rest are summed without ids', () => {
    const failures = new FailureAggregator();
    let immediate = 0;
    for (let i = 0; i < 5000; i++) {
      if (failures.add(`m2mc_${i}`, 'client_secret_basic', at(i), false) !== null) immediate += 1;
    }
    const drained = failures.drain(T0 + FAILURE_WINDOW_MS + 5000);
    expect(immediate).toBe(1000);
    expect(drained).toHaveLength(1);
    expect(drained[0]!.event.clientId).toBeNull();
    expect(drained[0]!.event.details).toMatchObject({ count: 4000, distinct_client_ids: 4000 });
  });
});
