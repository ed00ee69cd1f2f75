import { PREDICTION_MODEL_VERSION, type PredictionModel, type PredictionModelSnapshot } from '@sightline/contracts';
import { emptyModel, learn, mergeModels } from './model';
import { PartialModels } from './partial-models';
import { record } from './synthetic.fixture';

const T0 = Date.parse('2026-11-25T12:00:00Z');

function modelOf(views: number, cdn: string, halfLifeMs = 0): PredictionModel {
  let model = emptyModel({ halfLifeMs });
  for (let i = 0; i < views; i++) model = learn(model, record({ cdn }), T0 + i * 1000);
  return model;
}

function snapshot(partition: number, model: PredictionModel, at = T0, property = 'shop'): PredictionModelSnapshot {
  return { v: 1, property_id: property, partition, model_version: PREDICTION_MODEL_VERSION, views_learned: model.views_learned, at, model };
}

describe('partial models', () => {
  it('answer a property never seen with an empty model', () => {
    expect(new PartialModels().modelOf('shop')).toEqual(emptyModel());
  });

  it('merge the latest snapshot of every partition of a property, and no other property\'s', () => {
    const models = new PartialModels();
    const [a, b, c] = [modelOf(3, 'a'), modelOf(5, 'b'), modelOf(7, 'c')];
    models.add(snapshot(0, a));
    models.add(snapshot(1, b));
    models.add(snapshot(0, c, T0, 'other'));
    expect(models.modelOf('shop')).toEqual(mergeModels([a, b]));
    expect(models.modelOf('shop').views_learned).toBe(8);
    expect(models.modelOf('other')).toEqual(mergeModels([c]));
  });

  it('replace a partition\'s snapshot with its next one, and merge again', () => {
    const models = new PartialModels();
    models.add(snapshot(0, modelOf(3, 'a')));
    models.add(snapshot(1, modelOf(5, 'b')));
    expect(models.modelOf('shop').views_learned).toBe(8);
    models.add(snapshot(0, modelOf(4, 'a'), T0 + 10_000));
    expect(models.modelOf('shop').views_learned).toBe(9);
  });

  it('merge only the snapshots with the half-life of the newest (a changed setting applies to new models)', () => {
    const models = new PartialModels();
    const renewed = modelOf(5, 'b', 600_000);
    models.add(snapshot(0, modelOf(3, 'a', 0), T0));
    models.add(snapshot(1, renewed, T0 + 10_000));
    expect(models.modelOf('shop')).toEqual(mergeModels([renewed]));
  });
});
