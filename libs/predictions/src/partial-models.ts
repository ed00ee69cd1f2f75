import type { PredictionModel, PredictionModelSnapshot } from '@sightline/contracts';
import { emptyModel, mergeModels } from './model';

/**
 * The models predictions are answered from: per property, the latest snapshot of each
 * partition's partial model, merged when asked for (and the merge kept until a snapshot of the
 * property comes). Snapshots merge only with the half-life of the property's newest one, so a
 * changed setting applies as the partitions' new models are published.
 */
export class PartialModels {
  /** Per property, per partition: the latest snapshot. */
  private readonly partials = new Map<string, Map<number, PredictionModelSnapshot>>();
  private readonly merged = new Map<string, PredictionModel>();

  /** Takes a snapshot in stream order: it replaces its partition's previous one. */
  add(snapshot: PredictionModelSnapshot): void {
    const partitions = this.partials.get(snapshot.property_id) ?? new Map<number, PredictionModelSnapshot>();
    partitions.set(snapshot.partition, snapshot);
    this.partials.set(snapshot.property_id, partitions);
    this.merged.delete(snapshot.property_id);
  }

  /** The property's model: its partitions' latest snapshots merged; an empty model for a property never seen. */
  modelOf(property: string): PredictionModel {
    let model = this.merged.get(property);
    if (!model) {
      const snapshots = [...(this.partials.get(property)?.values() ?? [])];
      model = snapshots.length > 0 ? mergeModels(compatible(snapshots).map((s) => s.model)) : emptyModel();
      this.merged.set(property, model);
    }
    return model;
  }
}

/** The snapshots with the half-life of the newest. */
function compatible(snapshots: PredictionModelSnapshot[]): PredictionModelSnapshot[] {
  const newest = snapshots.reduce((a, b) => (b.at > a.at ? b : a));
  return snapshots.filter((s) => s.model.half_life_ms === newest.model.half_life_ms);
}
