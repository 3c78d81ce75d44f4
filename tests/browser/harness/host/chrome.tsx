// Stand-ins for two pieces of Grafana's page chrome that plugins render through @grafana/runtime:
// PluginPage (title, subtitle, actions and tabs of an app page, from Grafana's Page component) and
// PanelDataErrorView (the "No data" view of a panel).
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { locationService, type PanelDataErrorViewProps, type PluginPageProps } from '@grafana/runtime';
import { Stack, Tab, TabsBar, Text, useStyles2 } from '@grafana/ui';
import React from 'react';

const getPageStyles = (theme: GrafanaTheme2) => ({
  page: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(2),
    padding: theme.spacing(2, 3),
    minHeight: '100vh',
    background: theme.colors.background.canvas,
  }),
  header: css({ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: theme.spacing(2) }),
});

export function HarnessPluginPage({ pageNav, subTitle, actions, renderTitle, children }: PluginPageProps) {
  const styles = useStyles2(getPageStyles);
  const title = pageNav?.text ?? '';
  const subTitleText = subTitle ?? pageNav?.subTitle;
  const tabs = pageNav?.children?.filter((child) => !child.hideFromTabs) ?? [];
  return (
    <div className={styles.page}>
      <div className={styles.header}>
        <Stack direction="column" gap={0.5}>
          {renderTitle ? renderTitle(title) : <Text element="h1">{title}</Text>}
          {subTitleText && <Text color="secondary">{subTitleText}</Text>}
        </Stack>
        {actions && <Stack>{actions}</Stack>}
      </div>
      {tabs.length > 0 && (
        <TabsBar>
          {tabs.map((tab) => (
            <Tab
              key={tab.url ?? tab.text}
              label={tab.text}
              active={tab.active}
              icon={tab.icon}
              counter={tab.tabCounter}
              href={tab.url}
              onChangeTab={(event) => {
                event?.preventDefault();
                if (tab.url) {
                  locationService.push(tab.url);
                }
              }}
            />
          ))}
        </TabsBar>
      )}
      <div>{children}</div>
    </div>
  );
}

const getErrorViewStyles = (theme: GrafanaTheme2) => ({
  view: css({
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    height: '100%',
    width: '100%',
    color: theme.colors.text.secondary,
  }),
});

export function HarnessPanelDataErrorView({ message, fieldConfig }: PanelDataErrorViewProps) {
  const styles = useStyles2(getErrorViewStyles);
  return <div className={styles.view}>{message ?? fieldConfig?.defaults.noValue ?? 'No data'}</div>;
}
