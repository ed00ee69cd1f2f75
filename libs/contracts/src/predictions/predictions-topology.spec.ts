import { createTopology, streams, subjects } from '../topology';

describe('prediction subjects', () => {
  const t = createTopology('acme', 4);

  it('names model snapshots per property and partition, in the predictions stream', () => {
    expect(subjects.predictionModel(t, 'shop', 3)).toBe('acme.v1.predictions.model.shop.p3');
    expect(subjects.predictionModel(t, 'my.site', 0)).toBe('acme.v1.predictions.model.my%2Esite.p0');
    expect(streams(t).predictions).toMatchObject({ name: 'acme-predictions', subjects: ['acme.v1.predictions.model.>'] });
  });

  it('keeps the request/reply subjects out of every stream', () => {
    const requests = [subjects.predictionRequest(t, 'start'), subjects.predictionRequest(t, 'progress')];
    expect(requests).toEqual(['acme.v1.predictions.request.start', 'acme.v1.predictions.request.progress']);
    const captures = (filter: string, subject: string) =>
      new RegExp(`^${filter.replace(/\./g, '\\.').replace(/\*/g, '[^.]+').replace(/>$/, '.+')}$`).test(subject);
    for (const stream of Object.values(streams(t))) {
      for (const filter of stream.subjects) for (const subject of requests) expect(captures(filter, subject)).toBe(false);
    }
  });
});
