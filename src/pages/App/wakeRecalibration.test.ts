import { of } from 'rxjs';
import { setBackendSrv, type BackendSrv } from '@grafana/runtime';
import { wakeRecalibration } from './wakeRecalibration';

const fetch = jest.fn(() => of({}));
beforeAll(() => setBackendSrv({ fetch } as unknown as BackendSrv));
beforeEach(() => fetch.mockClear());

describe('wakeRecalibration', () => {
  it("asks for the app's health once when a recalibration token is stored, without an error banner", () => {
    wakeRecalibration('headroom-capacity-app', { recalibrationToken: true });

    expect(fetch).toHaveBeenCalledTimes(1);
    expect(fetch).toHaveBeenCalledWith(
      expect.objectContaining({ url: 'api/plugins/headroom-capacity-app/health', showErrorAlert: false })
    );
  });

  it('calls nothing without a stored token (no backend to wake, or nothing for it to do)', () => {
    wakeRecalibration('headroom-capacity-app', undefined);
    wakeRecalibration('headroom-capacity-app', { recalibrationToken: false });

    expect(fetch).not.toHaveBeenCalled();
  });
});
