import { sampleAlert } from './alert.fixture';
import { deliveryKeyOf, transitionKeyOf } from './delivery-key';

describe('delivery keys', () => {
  it('use the transition id when the alert has one', () => {
    expect(deliveryKeyOf(sampleAlert(), 'ops')).toBe('anomalies:poor-view/1:demo:view-1:firing:1:ops');
  });

  it('fall back to alert id, state and time', () => {
    const alert = sampleAlert({ transition_id: undefined, state: 'resolved', at: 42 });
    expect(transitionKeyOf(alert)).toBe('anomalies:poor-view/1:demo:view-1:resolved:42');
  });
});
