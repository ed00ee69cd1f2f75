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
      '{namespace}.v1.predictions.model.{property}.{partition}',
      '{namespace}.v1.predictions.request.start',
      null,
      '{namespace}.v1.predictions.request.progress',
      null,
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual([
      'EventBatch',
      'ViewSnapshot',
      'ScoredView',
      'ViewActivity',
      'CohortAggregate',
      'Anomaly',
      'Alert',
      'PredictionModelSnapshot',
      'StartPredictionRequest',
      'StartPrediction',
      'ProgressPredictionRequest',
      'ProgressPrediction',
      'PredictionError',
    ]);
  });

  it('documents the prediction requests as request/reply, outside any stream', () => {
    const doc = asyncApiDocument() as { channels: Record<string, Record<string, unknown>>; operations: Record<string, Record<string, unknown>> };
    expect(doc.channels.predictionRequestStart).not.toHaveProperty('x-jetstream-stream');
    expect(doc.channels.predictionRequestStart).toMatchObject({ 'x-nats-queue-group': 'anomaly-predictor' });
    expect(doc.channels.predictionModels).toMatchObject({ 'x-jetstream-stream': '{namespace}-predictions' });
    expect(doc.operations.replyPredictionRequestStart).toEqual({
      action: 'receive',
      channel: { $ref: '#/channels/predictionRequestStart' },
      description: expect.any(String),
      reply: { channel: { $ref: '#/channels/predictionRequestStartReply' } },
    });
    expect(Object.keys(doc.channels.predictionRequestProgressReply!.messages as object)).toEqual(['ProgressPrediction', 'PredictionError']);
  });

  it('is committed as docs/asyncapi.json, up to date', () => {
    expectCommittedJson('docs/asyncapi.json', asyncApiDocument());
  });
});
