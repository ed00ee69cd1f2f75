import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { Msg, Subscription } from '@nats-io/transport-node';
import type { TSchema } from '@sinclair/typebox';
import {
  compileValidator,
  formatIssues,
  PredictionModelSnapshotSchema,
  ProgressPredictionRequestSchema,
  StartPredictionRequestSchema,
  streams,
  subjects,
  type PredictionError,
  type Validator,
} from '@sightline/contracts';
import { PartialModels, predictProgress, predictStart } from '@sightline/predictions';
import { SERVICE_CONTEXT, type ServiceContext } from '@sightline/service-kit';
import { Counter } from 'prom-client';

/** Queue group of the responders: each request is answered by one instance. */
export const PREDICTIONS_QUEUE = 'anomaly-predictor';

type Kind = 'start' | 'progress';

class RequestError extends Error {
  constructor(
    readonly code: PredictionError['error']['code'],
    message: string,
  ) {
    super(message);
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Answers prediction requests (`{ns}.v1.predictions.request.start|progress`, core NATS
 * request/reply, queue group `anomaly-predictor`) from the merge of the latest model snapshot of
 * every partition, which it follows on the `predictions` stream with an ordered consumer
 * starting from the last message of each subject. Every instance answers from the same models.
 */
@Injectable()
export class PredictionResponder implements OnModuleInit, OnModuleDestroy {
  private readonly models = new PartialModels();
  private readonly snapshotValidator = compileValidator(PredictionModelSnapshotSchema);
  private readonly validators: Record<Kind, Validator<TSchema>> = {
    start: compileValidator(StartPredictionRequestSchema),
    progress: compileValidator(ProgressPredictionRequestSchema),
  };
  private readonly answered: Counter<'kind' | 'outcome'>;
  private messages?: ConsumerMessages;
  private subscriptions: Subscription[] = [];
  private caughtUp = false;

  constructor(@Inject(SERVICE_CONTEXT) private readonly context: ServiceContext<unknown>) {
    this.answered = new Counter({
      name: 'sightline_prediction_requests_total',
      help: 'Prediction requests answered, by kind (start, progress) and outcome (ok or the error code)',
      labelNames: ['kind', 'outcome'],
      registers: [context.metrics],
    });
    context.readiness.push({
      name: 'prediction-models',
      check: () => {
        if (!this.caughtUp) throw new Error('still reading the model snapshots');
      },
    });
  }

  async onModuleInit(): Promise<void> {
    const { jetstream, topology } = this.context;
    const stream = streams(topology).predictions.name;
    if ((await jetstream.jsm.streams.info(stream)).state.messages === 0) this.caughtUp = true;
    const consumer = await jetstream.js.consumers.get(stream, {
      filter_subjects: subjects.predictionModelsAll(topology),
      deliver_policy: DeliverPolicy.LastPerSubject,
    });
    const messages = await consumer.consume();
    this.messages = messages;
    void (async () => {
      for await (const m of messages) {
        this.onSnapshot(m.subject, m.data);
        if (m.info.pending === 0) this.caughtUp = true;
      }
    })().catch((error: unknown) => this.context.logger.error({ err: error }, 'prediction model snapshots no longer read'));
    for (const kind of ['start', 'progress'] as const) {
      this.subscriptions.push(
        jetstream.nc.subscribe(subjects.predictionRequest(topology, kind), {
          queue: PREDICTIONS_QUEUE,
          callback: (error, msg) => {
            if (!error) this.answer(kind, msg);
          },
        }),
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.subscriptions.splice(0).map((s) => s.drain().catch(() => undefined)));
    await this.messages?.close();
  }

  private onSnapshot(subject: string, data: Uint8Array): void {
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(data));
    } catch {
      this.context.logger.warn({ subject }, 'prediction model snapshot is not JSON; ignored');
      return;
    }
    const checked = this.snapshotValidator.validate(payload);
    if (!checked.ok) {
      this.context.logger.warn({ subject, issues: formatIssues(checked.issues) }, 'invalid prediction model snapshot; ignored');
      return;
    }
    this.models.add(checked.value);
  }

  private answer(kind: Kind, msg: Msg): void {
    if (!msg.reply) return;
    let outcome: 'ok' | PredictionError['error']['code'] = 'ok';
    let reply: unknown;
    try {
      const request = this.parse(kind, msg.data);
      const model = this.models.modelOf(request.property_id);
      reply = kind === 'start' ? predictStart(model, request) : predictProgress(model, request as Parameters<typeof predictProgress>[1]);
    } catch (error) {
      const known = error instanceof RequestError;
      if (!known) this.context.logger.error({ err: error, kind }, 'prediction request failed');
      const code = known ? error.code : 'INTERNAL';
      outcome = code;
      reply = { error: { code, message: known ? error.message : 'internal error' } } satisfies PredictionError;
    }
    msg.respond(encoder.encode(JSON.stringify(reply)));
    this.answered.inc({ kind, outcome });
  }

  private parse(kind: Kind, data: Uint8Array): Parameters<typeof predictStart>[1] {
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(data));
    } catch (error) {
      throw new RequestError('INVALID_JSON', `the request is not JSON: ${(error as Error).message}`);
    }
    const checked = this.validators[kind].validate(payload);
    if (!checked.ok) throw new RequestError('INVALID_REQUEST', formatIssues(checked.issues));
    return checked.value as Parameters<typeof predictStart>[1];
  }
}
