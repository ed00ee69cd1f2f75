import {
  metricSeriesQuery,
  openAlertsQuery,
  recentViewsQuery,
  topCohortsQuery,
  type AggregateQuery,
  type CohortTotals,
  type FindQuery,
  type MetricSeriesParams,
  type OpenAlertsParams,
  type RecentViewsParams,
  type TopCohortsParams,
} from '@sightline/read-models';
import type { Db, Document } from 'mongodb';

/**
 * The dashboard's queries against the read models, each built by a pure builder of
 * `@sightline/read-models` (which the indexes are designed for) and run here.
 */
export class ReadModelQueries {
  constructor(private readonly db: Db) {}

  /** Completed views of a property, newest first. */
  recentViews(params: RecentViewsParams): Promise<Document[]> {
    return this.find(recentViewsQuery(params));
  }

  /** One cohort's minute or hour windows in a range, oldest first. */
  metricSeries(params: MetricSeriesParams): Promise<Document[]> {
    return this.find(metricSeriesQuery(params));
  }

  /** Values of a dimension ranked by a count summed over a range. */
  topCohorts(params: TopCohortsParams): Promise<CohortTotals[]> {
    return this.aggregate(topCohortsQuery(params)) as Promise<CohortTotals[]>;
  }

  /** A property's firing alerts, latest first. */
  openAlerts(params: OpenAlertsParams): Promise<Document[]> {
    return this.find(openAlertsQuery(params));
  }

  private find(query: FindQuery): Promise<Document[]> {
    return this.db
      .collection(query.collection)
      .find(query.filter, query.projection ? { projection: query.projection } : {})
      .sort(query.sort)
      .limit(query.limit)
      .toArray();
  }

  private aggregate(query: AggregateQuery): Promise<Document[]> {
    return this.db.collection(query.collection).aggregate([...query.pipeline]).toArray();
  }
}
