import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PredictionModelSnapshotSchema, streams, subjects, type PredictionError } from '@sightline/contracts';
import { DurableWorker, type Listening } from '@sightline/messaging';
import { answerRequest, PartialModels, type PredictionKind } from '@sightline/predictions';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';

/** Queue group of the responders: each request is answered by one instance. */
export const PREDICTIONS_QUEUE = 'anomaly-predictor';

/**
 * Answers prediction requests (`{ns}.v1.predictions.request.start|progress`, core NATS
 * request/reply, queue group `anomaly-predictor`) from the merge of the latest model snapshot of
 * every partition, which it follows on the `predictions` stream with a replay from the last
 * message of each subject. Every instance answers from the same models.
 */
@Injectable()
export class PredictionResponder implements OnModuleInit, OnModuleDestroy {
  private readonly models = new PartialModels();
  private readonly snapshots: DurableWorker<typeof PredictionModelSnapshotSchema>;
  private readonly answered: Counter<'kind' | 'outcome'>;
  private listening: Listening[] = [];

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>) {
    const { jetstream, topology, logger } = context;
    this.snapshots = new DurableWorker({
      connection: jetstream,
      stream: streams(topology).predictions.name,
      filterSubject: subjects.predictionModelsAll(topology),
      reading: { kind: 'replay', from: 'last-per-subject' },
      schema: PredictionModelSnapshotSchema,
      handle: (batch) => {
        for (const delivery of batch) this.models.add(delivery.value);
      },
      logger,
    });
    this.answered = new Counter({
      name: 'sightline_prediction_requests_total',
      help: 'Prediction requests answered, by kind (start, progress) and outcome (ok or the error code)',
      labelNames: ['kind', 'outcome'],
      registers: [context.metrics],
    });
    context.readiness.push(this.snapshots.readiness('prediction-models'));
  }

  async onModuleInit(): Promise<void> {
    await this.snapshots.start();
    const { jetstream, topology } = this.context;
    for (const kind of ['start', 'progress'] as const) {
      this.listening.push(jetstream.serve(subjects.predictionRequest(topology, kind), { queue: PREDICTIONS_QUEUE }, (request) => this.answer(kind, request.data)));
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.listening.splice(0).map((l) => l.stop().catch(() => undefined)));
    await this.snapshots.stop();
  }

  private answer(kind: PredictionKind, data: Uint8Array): string {
    let outcome: 'ok' | PredictionError['error']['code'] = 'ok';
    let reply: unknown;
    try {
      const answer = answerRequest(kind, data, (property) => this.models.modelOf(property));
      reply = answer.reply;
      if (answer.error) outcome = answer.error;
    } catch (error) {
      this.context.logger.error({ err: error, kind }, 'prediction request failed');
      outcome = 'INTERNAL';
      reply = { error: { code: 'INTERNAL', message: 'internal error' } } satisfies PredictionError;
    }
    this.answered.inc({ kind, outcome });
    return JSON.stringify(reply);
  }
}
