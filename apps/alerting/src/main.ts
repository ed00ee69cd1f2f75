import { main } from '@sightline/service-kit';
import { alertingService } from './alerting.definition';

main(alertingService);
