import React, { useEffect } from 'react';
import { t } from '@grafana/i18n';
import { Navigate, Route, Routes } from 'react-router-dom';
import type { AppRootProps } from '@grafana/data';
import { useSceneApp } from '@grafana/scenes';
import { ErrorBoundaryAlert } from '@grafana/ui';
import { ROUTES, prefixRoute } from '../../constants';
import type { HeadroomAppSettings } from '../../datasource/appSettings';
import { headroomAppFactory } from './headroomApp';
import { wakeRecalibration } from './wakeRecalibration';

/** The app root Grafana mounts under /a/headroom-capacity-app/*. */
export default function App({ meta }: AppRootProps<HeadroomAppSettings>) {
  const scene = useSceneApp(headroomAppFactory(meta.jsonData?.defaultDatasourceUid));
  useEffect(() => wakeRecalibration(meta.id, meta.secureJsonFields), [meta.id, meta.secureJsonFields]);

  return (
    <ErrorBoundaryAlert
      title={t('app.render-failed', 'Headroom failed to render this page')}
      style="page"
      boundaryName="headroom-app"
    >
      <Routes>
        <Route index element={<Navigate to={prefixRoute(ROUTES.Overview)} replace />} />
        <Route path="*" element={<scene.Component model={scene} />} />
      </Routes>
    </ErrorBoundaryAlert>
  );
}
