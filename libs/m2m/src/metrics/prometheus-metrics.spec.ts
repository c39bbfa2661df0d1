import { M2mPrometheusMetrics } from './prometheus-metrics.js';

const queue = { depth: 3, active: 1 };

describe('M2mPrometheusMetrics', () => {
  it('exposes requests by outcome, latency, cache lookups, the queue, limits and guard rejections', async () => {
    const metrics = new M2mPrometheusMetrics({ processMetrics: false }, queue);
    metrics.request('token', 'issued', 0.002, 'm2mc_a');
    metrics.request('token', 'invalid_client', 0.3);
    metrics.credentialCache(true);
    metrics.credentialCache(false);
    metrics.tokenCache(true);
    metrics.limited('client_failures');
    metrics.guardRejected('insufficient_scope');
    const text = await metrics.registry.metrics();
    const lines = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(lines).toEqual(
      expect.arrayContaining([
        'm2m_oauth_requests_total{endpoint="token",outcome="issued"} 1',
        'm2m_oauth_requests_total{endpoint="token",outcome="invalid_client"} 1',
        'm2m_oauth_request_duration_seconds_count{endpoint="token"} 2',
        'm2m_oauth_request_duration_seconds_bucket{le="0.0025",endpoint="token"} 1',
        'm2m_oauth_request_duration_seconds_count{endpoint="introspection"} 0',
        'm2m_credential_cache_lookups_total{result="hit"} 1',
        'm2m_credential_cache_lookups_total{result="miss"} 1',
        'm2m_token_cache_lookups_total{result="hit"} 1',
        'm2m_token_cache_lookups_total{result="miss"} 0',
        'm2m_secret_verification_queue_depth 3',
        'm2m_secret_verifications_active 1',
        'm2m_rate_limited_total{limit="client_failures"} 1',
        'm2m_guard_rejections_total{reason="insufficient_scope"} 1',
      ]),
    );
    expect(text).not.toContain('m2mc_a');
    expect(text).not.toContain('process_resident_memory_bytes');
  });

  it('labels successful requests by client only when asked to', async () => {
    const metrics = new M2mPrometheusMetrics({ processMetrics: false, clientLabels: true }, queue);
    metrics.request('token', 'issued', 0.002, 'm2mc_a');
    metrics.request('token', 'invalid_client', 0.3);
    const text = await metrics.registry.metrics();
    expect(text).toContain(
      'm2m_oauth_requests_total{endpoint="token",outcome="issued",client_id="m2mc_a"} 1',
    );
    expect(text).toContain('m2m_oauth_requests_total{endpoint="token",outcome="invalid_client"} 1');
  });

  it('adds the Node.js process metrics by default, in its own registry', async () => {
    const first = new M2mPrometheusMetrics({}, queue);
    const second = new M2mPrometheusMetrics({}, queue);
    expect(await first.registry.metrics()).toContain('process_resident_memory_bytes');
    expect(await second.registry.metrics()).toContain('process_resident_memory_bytes');
  });
});
