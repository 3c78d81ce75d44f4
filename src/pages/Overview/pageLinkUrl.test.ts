import { ROUTES } from '../../constants';
import { pageLinkUrl } from './pageLinkUrl';

describe('pageLinkUrl', () => {
  it('keeps a relative time range', () => {
    expect(pageLinkUrl(ROUTES.Forecast, { from: 'now-7d', to: 'now' })).toBe(
      '/a/headroom-capacity-app/forecast?from=now-7d&to=now'
    );
  });

  it('keeps an absolute time range as scenes writes it', () => {
    expect(pageLinkUrl(ROUTES.Alerts, { from: '2024-03-01T00:00:00.000Z', to: '2024-03-02T00:00:00.000Z' })).toBe(
      '/a/headroom-capacity-app/alerts?from=2024-03-01T00:00:00.000Z&to=2024-03-02T00:00:00.000Z'
    );
  });
});
