import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { AppPluginMeta, DataSourceInstanceSettings } from '@grafana/data';
import {
  locationService,
  setBackendSrv,
  setDataSourceSrv,
  type BackendSrv,
  type DataSourceSrv,
} from '@grafana/runtime';
import { DEFAULT_GPU_PRICES, type HeadroomAppSettings } from '../../datasource/appSettings';
import AppConfig, { type AppConfigProps } from './AppConfig';

const headroomDs = {
  uid: 'headroom-prod',
  name: 'Headroom prod',
  type: 'headroom-capacity-datasource',
  meta: { id: 'headroom-capacity-datasource', info: { logos: { small: '' } } },
} as unknown as DataSourceInstanceSettings;

function renderConfig(jsonData: HeadroomAppSettings, post: jest.Mock, secureJsonFields: Record<string, boolean> = {}) {
  setBackendSrv({ post } as unknown as BackendSrv);
  setDataSourceSrv({
    getList: () => [headroomDs],
    getInstanceSettings: (ref: unknown) => (ref === headroomDs.uid ? headroomDs : undefined),
  } as unknown as DataSourceSrv);
  const meta = {
    id: 'headroom-capacity-app',
    enabled: true,
    pinned: false,
    jsonData,
    secureJsonFields,
  } as AppPluginMeta<HeadroomAppSettings>;
  return render(<AppConfig {...({ plugin: { meta } } as unknown as AppConfigProps)} />);
}

// Grafana's TimeZonePicker and Select render slowly in jsdom: on a busy 2-core machine a test took over 5 s.
jest.setTimeout(30_000);

describe('AppConfig', () => {
  beforeEach(() => jest.spyOn(locationService, 'reload').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('explains the setting and shows the saved default data source', () => {
    renderConfig({ defaultDatasourceUid: headroomDs.uid }, jest.fn());

    expect(screen.getByText(/Headroom pages read the fleet through a Headroom data source/)).toBeInTheDocument();
    expect(screen.getByTestId('headroom-config-datasource')).toHaveTextContent('Headroom prod');
  });

  it('saves the whole jsonData (Grafana replaces it), keeping enabled, pinned and keys it does not edit, then reloads', async () => {
    const post = jest.fn().mockResolvedValue({});
    // A key a later Headroom version writes: Grafana replaces jsonData as sent, so the page must send it back.
    const saved = { defaultDatasourceUid: headroomDs.uid, monthlyBudget: 1000, laterSetting: 'kept' };
    renderConfig(saved as HeadroomAppSettings, post);

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(post).toHaveBeenCalledWith(
      '/api/plugins/headroom-capacity-app/settings',
      {
        enabled: true,
        pinned: false,
        jsonData: {
          defaultDatasourceUid: headroomDs.uid,
          laterSetting: 'kept',
          businessCalendar: [],
          gpuPrices: DEFAULT_GPU_PRICES,
          monthlyBudget: 1000,
          budgetTimeZone: undefined,
        },
      },
      // Grafana's toast would say it a second time, and show an answer's body unredacted.
      { showErrorAlert: false }
    );
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it('sends a typed recalibration token as a secret only, and nothing about it when none is typed', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({}, post, { recalibrationToken: true });
    // Stored: Grafana says only that it is set; the field shows that, with no value to read.
    const field = screen.getByLabelText('Recalibration service-account token') as HTMLInputElement;
    expect(field.value).toBe('configured');
    expect(field).toBeDisabled();
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post.mock.calls[0][1]).not.toHaveProperty('secureJsonData');

    // Reset, then a new token typed in: it goes into secureJsonData, never into jsonData.
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    fireEvent.change(screen.getByLabelText('Recalibration service-account token'), {
      target: { value: ' glsa_new_token ' },
    });
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(2));
    expect(post.mock.calls[1][1].secureJsonData).toEqual({ recalibrationToken: 'glsa_new_token' });
    expect(JSON.stringify(post.mock.calls[1][1].jsonData)).not.toContain('glsa_new_token');
  });

  it('a stored recalibration token reset and nothing typed is saved empty, which the backend takes as none', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({}, post, { recalibrationToken: true });
    fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    await waitFor(() => expect(post).toHaveBeenCalledTimes(1));
    expect(post.mock.calls[0][1].secureJsonData).toEqual({ recalibrationToken: '' });
  });

  it('ships cited list prices, and marks a typed price as the administrator’s own when saved', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({}, post);
    expect(screen.getAllByText(/Public list price/)).toHaveLength(DEFAULT_GPU_PRICES.length);
    expect((screen.getByLabelText('Source of the NVIDIA L4 prices') as HTMLInputElement).value).toMatch(
      /^List price: Google Cloud g2-standard-16, us-central1, list of 2025-03-06 \(https:.*\), read \d{4}-\d{2}-\d{2}$/
    );

    fireEvent.change(screen.getByLabelText('On-demand $/GPU-h of NVIDIA L4'), { target: { value: '0.95' } });
    fireEvent.click(screen.getByRole('button', { name: /Add event/ }));
    fireEvent.change(screen.getByLabelText('Event 1 name'), { target: { value: 'Black Friday' } });
    fireEvent.click(screen.getByTestId('headroom-config-save'));

    const saved = post.mock.calls[0][1].jsonData as HeadroomAppSettings;
    expect(saved.gpuPrices?.find((p) => p.gpuModel === 'NVIDIA L4')).toMatchObject({
      onDemandPerGpuHour: 0.95,
      source: 'Entered by an administrator',
    });
    expect(saved.businessCalendar).toEqual([expect.objectContaining({ name: 'Black Friday' })]);
    expect(saved.businessCalendar![0].endSeconds - saved.businessCalendar![0].startSeconds).toBe(86_400);
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it('saves a monthly budget and the zone chosen in the picker, and refuses a negative price or budget without losing what was typed', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({}, post);
    expect(screen.getByTestId('headroom-config-budget-time-zone')).toHaveTextContent('Coordinated Universal Time');

    fireEvent.change(screen.getByLabelText('Monthly GPU budget'), { target: { value: '-5' } });
    fireEvent.change(screen.getByLabelText('Spot $/GPU-h of NVIDIA L4'), { target: { value: '-1' } });
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    expect(screen.getByTestId('headroom-config-error')).toHaveTextContent('The spot price of NVIDIA L4 must be');
    expect(screen.getByTestId('headroom-config-error')).toHaveTextContent('The monthly budget must be a positive');
    expect(post).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Monthly GPU budget')).toHaveValue(-5);

    fireEvent.change(screen.getByLabelText('Monthly GPU budget'), { target: { value: '250000' } });
    fireEvent.change(screen.getByLabelText('Spot $/GPU-h of NVIDIA L4'), { target: { value: '0.4' } });
    await pickZone('Tokyo');
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    expect(post.mock.calls[0][1].jsonData.monthlyBudget).toBe(250_000);
    expect(post.mock.calls[0][1].jsonData.budgetTimeZone).toBe('Asia/Tokyo');
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it('stores the zone a name typed before the picker stands for, not the text as typed', async () => {
    const post = jest.fn().mockResolvedValue({});
    // tzdb's backward file: US/Pacific is a link to America/Los_Angeles.
    renderConfig({ budgetTimeZone: 'us/pacific' }, post);
    expect(screen.getByTestId('headroom-config-budget-time-zone')).toHaveTextContent('America/Los Angeles');

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(post.mock.calls[0][1].jsonData.budgetTimeZone).toBe('America/Los_Angeles');
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it('says a saved zone is no time zone, and refuses to save it until one is chosen', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({ budgetTimeZone: 'Europe/Atlantis' }, post);
    expect(screen.getByText(/Budget time zone: "Europe\/Atlantis" is not a time zone/)).toBeInTheDocument();

    fireEvent.click(screen.getByTestId('headroom-config-save'));
    expect(screen.getByTestId('headroom-config-error')).toHaveTextContent(
      'Budget time zone: "Europe/Atlantis" is not a time zone'
    );
    expect(post).not.toHaveBeenCalled();

    await pickZone('Berlin');
    fireEvent.click(screen.getByTestId('headroom-config-save'));
    expect(post.mock.calls[0][1].jsonData.budgetTimeZone).toBe('Europe/Berlin');
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it("says why saving failed in Grafana's words (BackendSrv rejects with a FetchError, not an Error)", async () => {
    const refusal = {
      status: 403,
      statusText: 'Forbidden',
      data: { message: 'You need additional permissions: plugins:write' },
      config: { url: '/api/plugins/headroom-capacity-app/settings' },
    };
    renderConfig({}, jest.fn().mockRejectedValue(refusal));

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(await screen.findByTestId('headroom-config-error')).toHaveTextContent(
      'Grafana answered 403: You need additional permissions: plugins:write'
    );
    expect(locationService.reload).not.toHaveBeenCalled();
  });

  it('says so when saving fails otherwise', async () => {
    renderConfig({}, jest.fn().mockRejectedValue(new Error('Network down')));

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(await screen.findByText('Network down')).toBeInTheDocument();
    expect(locationService.reload).not.toHaveBeenCalled();
  });
});

/** Types a city into Grafana's time zone picker and chooses the one zone it offers. */
async function pickZone(city: string) {
  const input = screen.getByLabelText('Time zone picker');
  fireEvent.keyDown(input, { key: 'ArrowDown' });
  fireEvent.change(input, { target: { value: city } });
  // The menu is rendered last in the page (a portal); the page's own text may name the city too.
  const options = await screen.findAllByText(new RegExp(city));
  fireEvent.click(options[options.length - 1]);
}
