/**
 * The notice for settings from before Headroom had a backend: they name only a Prometheus data source, which the
 * browser keeps reading through (src/datasource/connection.ts). It offers to copy that data source's URL into
 * Headroom's own connection. Only the URL comes over: Grafana never sends a data source's secrets to the browser,
 * so its password, token or certificates must be entered again here.
 */
import React, { useState } from 'react';
import { getBackendSrv } from '@grafana/runtime';
import { Alert, Button, Stack, Text } from '@grafana/ui';

interface Props {
  prometheusUid: string;
  /** The borrowed data source's name, when Grafana knows it. */
  prometheusName?: string;
  onCopy: (url: string) => void;
}

/** `GET /api/datasources/uid/<uid>`: the stored data source, its real URL included (the browser's copy has a proxy path). */
async function storedUrl(uid: string): Promise<string> {
  const stored = await getBackendSrv().get<{ url?: unknown }>(
    `/api/datasources/uid/${encodeURIComponent(uid)}`,
    undefined,
    undefined,
    { showErrorAlert: false }
  );
  if (typeof stored.url !== 'string' || stored.url.trim() === '') {
    throw new Error('it has no URL');
  }
  return stored.url.trim();
}

function reason(error: unknown): string {
  const message = (error as { data?: { message?: unknown }; message?: unknown } | null)?.data?.message;
  return typeof message === 'string' ? message : error instanceof Error ? error.message : String(error);
}

export function ConnectionMigration({ prometheusUid, prometheusName, onCopy }: Props) {
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const named = prometheusName ? `"${prometheusName}"` : `with uid "${prometheusUid}"`;

  const copy = () => {
    setBusy(true);
    setProblem(undefined);
    storedUrl(prometheusUid).then(
      (url) => {
        setBusy(false);
        onCopy(url);
      },
      (error: unknown) => {
        setBusy(false);
        setProblem(`Could not read the URL of the data source ${named} (${reason(error)}); enter it below.`);
      }
    );
  };

  return (
    <Alert severity="info" title={`Headroom reads Prometheus through the data source ${named}`}>
      <Stack direction="column" gap={1} alignItems="flex-start">
        <Text>
          Give Headroom its own connection so that pages, panels, health check and alert evaluations all use the same
          Prometheus with the same authentication. Copy that data source&apos;s URL, then enter its credentials below:
          Grafana never shows a data source&apos;s secrets, so they cannot be copied. Until then Headroom keeps reading
          through that data source.
        </Text>
        <Button variant="secondary" icon="copy" disabled={busy} onClick={copy}>
          Copy URL from {prometheusName ?? prometheusUid}
        </Button>
        {problem && <Text color="error">{problem}</Text>}
      </Stack>
    </Alert>
  );
}
