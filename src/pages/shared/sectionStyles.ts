import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';

/**
 * A page section that is not a panel (a form with its results) drawn like one: the panel's background, border and
 * padding, and a heading the size of a panel title's section.
 */
export function sectionStyles(theme: GrafanaTheme2) {
  return {
    section: css({
      width: '100%',
      padding: theme.spacing(2),
      background: theme.colors.background.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
    }),
    heading: css({ fontSize: theme.typography.h5.fontSize, marginBottom: theme.spacing(1) }),
  };
}
