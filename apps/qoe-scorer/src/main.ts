import { main } from '@sightline/service-kit';
import { scorerService } from './scorer.definition';

main(scorerService);
