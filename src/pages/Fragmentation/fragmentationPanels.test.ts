import { buildJobsFitTable } from './fragmentationPanels';

describe('the "Jobs that fit now" table', () => {
  it('describes every column it shows, the reason none fits included', () => {
    const description = buildJobsFitTable().state.description ?? '';
    for (const column of [
      'share of each GPU',
      'GPU model',
      'CPU',
      'share of recent pods',
      'fit now',
      'none fits',
      'free GPU it cannot use',
    ]) {
      expect(description).toContain(column);
    }
  });
});
