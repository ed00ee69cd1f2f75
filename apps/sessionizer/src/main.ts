import { main } from '@sightline/service-kit';
import { sessionizerService } from './sessionizer.definition';

main(sessionizerService);
