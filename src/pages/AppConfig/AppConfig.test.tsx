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
import type { HeadroomAppSettings } from './appSettings';
import AppConfig, { type AppConfigProps } from './AppConfig';

const headroomDs = {
  uid: 'headroom-prod',
  name: 'Headroom prod',
  type: 'headroom-capacity-datasource',
  meta: { id: 'headroom-capacity-datasource', info: { logos: { small: '' } } },
} as unknown as DataSourceInstanceSettings;

function renderConfig(jsonData: HeadroomAppSettings, post: jest.Mock) {
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
  } as AppPluginMeta<HeadroomAppSettings>;
  return render(<AppConfig {...({ plugin: { meta } } as unknown as AppConfigProps)} />);
}

describe('AppConfig', () => {
  beforeEach(() => jest.spyOn(locationService, 'reload').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('explains the setting and shows the saved default data source', () => {
    renderConfig({ defaultDatasourceUid: headroomDs.uid }, jest.fn());

    expect(screen.getByText(/Headroom pages read the fleet through a Headroom data source/)).toBeInTheDocument();
    expect(screen.getByTestId('headroom-config-datasource')).toHaveTextContent('Headroom prod');
  });

  it('saves the default data source in jsonData, keeping enabled and pinned, then reloads', async () => {
    const post = jest.fn().mockResolvedValue({});
    renderConfig({ defaultDatasourceUid: headroomDs.uid }, post);

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(post).toHaveBeenCalledWith('/api/plugins/headroom-capacity-app/settings', {
      enabled: true,
      pinned: false,
      jsonData: { defaultDatasourceUid: headroomDs.uid },
    });
    await waitFor(() => expect(locationService.reload).toHaveBeenCalled());
  });

  it('says so when saving fails', async () => {
    renderConfig({}, jest.fn().mockRejectedValue(new Error('403 Forbidden')));

    fireEvent.click(screen.getByTestId('headroom-config-save'));

    expect(await screen.findByText('403 Forbidden')).toBeInTheDocument();
    expect(locationService.reload).not.toHaveBeenCalled();
  });
});
