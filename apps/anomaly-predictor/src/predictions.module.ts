import { PredictionHandlers } from './predictions.handlers';
import { PredictionResponder } from './predictions.responder';

/** What the predictor's module declares for predictions: the learning controller and the responder. */
export const PREDICTIONS_PARTS = { controllers: [PredictionHandlers], providers: [PredictionResponder] };
