import { main } from '@sightline/service-kit';
import { predictorService } from './predictor.definition';

main(predictorService);
