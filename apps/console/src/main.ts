import { main } from '@sightline/service-kit';
import { consoleService } from './console.definition';

main(consoleService);
