import { parseProperty } from '../property';
import { Enricher } from './enricher';
import type { EnrichmentSources } from './enrichment-sources';

const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0.0.0';

/** Sources that answer from tables and count the questions asked. */
function sources() {
  const asked = { place: 0, device: 0 };
  const table: EnrichmentSources = {
    place: (ip) => (asked.place++, ip === '79.200.17.33' ? { country: 'DE', region: 'Hesse', asn: 3320, as_org: 'Deutsche Telekom AG' } : {}),
    device: (userAgent) => (asked.device++, userAgent.includes('Windows') ? { device_type: 'desktop', os: 'Windows', browser: 'Chrome' } : {}),
  };
  return { asked, table };
}

const enriching = parseProperty({ id: 'p1', keys: ['p1-key'] });
const plain = parseProperty({ id: 'p2', keys: ['p2-key'], enrich: false });

describe('enrichment', () => {
  it('adds the prefix, the user agent and what the sources know, never the full address', () => {
    const { table } = sources();
    const enrichment = new Enricher(table).enrichment(enriching, { ip: '79.200.17.33', userAgent: UA, receivedAt: 1_700_000_000_000 });
    expect(enrichment).toEqual({
      received_at: 1_700_000_000_000,
      property_id: 'p1',
      ip_prefix: '79.200.17.0/24',
      user_agent: UA,
      device_type: 'desktop',
      os: 'Windows',
      browser: 'Chrome',
      country: 'DE',
      region: 'Hesse',
      asn: 3320,
      as_org: 'Deutsche Telekom AG',
    });
    expect(JSON.stringify(enrichment)).not.toContain('79.200.17.33');
  });

  it('adds only the prefix and the user agent for a property that does not enrich', () => {
    const { table } = sources();
    expect(new Enricher(table).enrichment(plain, { ip: '79.200.17.33', userAgent: UA, receivedAt: 1 })).toEqual({
      received_at: 1,
      property_id: 'p2',
      ip_prefix: '79.200.17.0/24',
      user_agent: UA,
    });
  });

  it('cuts a long user agent and leaves out what an address that is none cannot give', () => {
    const { table } = sources();
    const enrichment = new Enricher(table).enrichment(enriching, { ip: 'unknown', userAgent: 'x'.repeat(600), receivedAt: 1 });
    expect(enrichment).toEqual({ received_at: 1, property_id: 'p1', user_agent: 'x'.repeat(512) });
  });

  it('asks the sources once per address and user agent among the recent ones', () => {
    const { asked, table } = sources();
    const enricher = new Enricher(table);
    for (let i = 0; i < 5; i++) enricher.enrichment(enriching, { ip: '79.200.17.33', userAgent: UA, receivedAt: i });
    expect(asked).toEqual({ place: 1, device: 1 });
  });
});
