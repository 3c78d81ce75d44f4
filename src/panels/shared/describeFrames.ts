import type { DataFrame } from '@grafana/data';
import { t } from '@grafana/i18n';
import { listSeparator } from '../../datasource/wording/localeNumbers';

/** How many frames hold fields; frames with none carry no data worth describing. */
export function framesWithFields(frames: DataFrame[]): DataFrame[] {
  return frames.filter((frame) => frame.fields.length > 0);
}

/** A short human description of data a panel cannot draw, e.g. "2 data frames with fields Time, Capacity". */
export function describeFrames(frames: DataFrame[]): string {
  const withFields = framesWithFields(frames);
  // Field names as the data has them: queries, overrides and transformations match them (docs/i18n.md).
  const fields = [...new Set(withFields.flatMap((frame) => frame.fields.map((field) => field.name)))].join(
    listSeparator()
  );
  return withFields.length === 1
    ? t('panels.notice.one-frame', '1 data frame with fields {{fields}}', {
        fields,
        interpolation: { escapeValue: false },
      })
    : t('panels.notice.frames', '{{frames}} data frames with fields {{fields}}', {
        frames: withFields.length,
        fields,
        interpolation: { escapeValue: false },
      });
}
