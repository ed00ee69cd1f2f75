import {
  compileValidator,
  formatIssues,
  ProgressPredictionRequestSchema,
  StartPredictionRequestSchema,
  type PredictionError,
  type PredictionModel,
  type ProgressPrediction,
  type StartPrediction,
} from '@sightline/contracts';
import { predictProgress, predictStart } from './predict';

/** `start`: before a view starts; `progress`: a view in progress. */
export type PredictionKind = 'start' | 'progress';

/** A request's reply: a prediction, or an error with its stable code. */
export type PredictionAnswer =
  | { readonly reply: StartPrediction | ProgressPrediction; readonly error?: undefined }
  | { readonly reply: PredictionError; readonly error: PredictionError['error']['code'] };

const validators = { start: compileValidator(StartPredictionRequestSchema), progress: compileValidator(ProgressPredictionRequestSchema) };
const decoder = new TextDecoder();

function rejected(code: PredictionError['error']['code'], message: string): PredictionAnswer {
  return { reply: { error: { code, message } }, error: code };
}

/**
 * The answer to a request body of `kind`, from the model of the property it names: INVALID_JSON
 * when the body is not JSON, INVALID_REQUEST (with the schema's issues) when it is not a request
 * of that kind.
 */
export function answerRequest(kind: PredictionKind, body: Uint8Array, modelOf: (property: string) => PredictionModel): PredictionAnswer {
  let payload: unknown;
  try {
    payload = JSON.parse(decoder.decode(body));
  } catch (error) {
    return rejected('INVALID_JSON', `the request is not JSON: ${(error as Error).message}`);
  }
  if (kind === 'start') {
    const checked = validators.start.validate(payload);
    return checked.ok ? { reply: predictStart(modelOf(checked.value.property_id), checked.value) } : rejected('INVALID_REQUEST', formatIssues(checked.issues));
  }
  const checked = validators.progress.validate(payload);
  return checked.ok ? { reply: predictProgress(modelOf(checked.value.property_id), checked.value) } : rejected('INVALID_REQUEST', formatIssues(checked.issues));
}
