import { expectCommittedJson } from '@sightline/test-support';
import { asyncApiDocument } from './asyncapi';

describe('AsyncAPI document', () => {
  it('documents every subject with its payload schema', () => {
    const doc = asyncApiDocument() as { channels: Record<string, { address: string }>; components: { schemas: Record<string, unknown> } };
    expect(Object.values(doc.channels).map((c) => c.address)).toEqual([
      '{namespace}.v1.events.beacon.{partition}',
      '{namespace}.v1.views.updated.{partition}',
      '{namespace}.v1.views.completed.{partition}',
      '{namespace}.v1.scores.{kind}.{partition}',
      '{namespace}.v1.activity.view.{partition}',
      '{namespace}.v1.aggregates.{granularity}.{property}.{dimension}.{value}',
      '{namespace}.v1.anomalies.{metric}',
      '{namespace}.v1.alerts.{state}',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(['EventBatch', 'ViewSnapshot', 'ScoredView', 'ViewActivity', 'CohortAggregate', 'Anomaly', 'Alert']);
  });

  it('is committed as docs/asyncapi.json, up to date', () => {
    expectCommittedJson('docs/asyncapi.json', asyncApiDocument());
  });
});
