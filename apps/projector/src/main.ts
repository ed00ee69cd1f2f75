import { main } from '@sightline/service-kit';
import { projectorService } from './projector.definition';

main(projectorService);
