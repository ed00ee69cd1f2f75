import { main } from '@sightline/service-kit';
import { ingestService } from './ingest.definition';

main(ingestService, { workersVariable: 'INGEST_WORKERS' });
