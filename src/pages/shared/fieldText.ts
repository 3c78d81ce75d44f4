// What the pages' Grafana-drawn panels write for a frame's field, in the user's language (docs/i18n.md). The frames
// keep their English names and units (the backend writes the same frames, and queries, overrides and links match
// them): the pages translate with field overrides, which Grafana applies over the frame's own config.
import { t } from '@grafana/i18n';
import type { FieldConfigOverridesBuilder } from '@grafana/scenes';
import { MappingType, type ValueMapping } from '@grafana/data';

/** Grafana's custom-suffix units of Headroom's frames, with the counted thing in the user's language. */
export function countUnits() {
  return {
    gpus: t('pages.unit.gpus', 'suffix: GPUs'),
    gpuHours: t('pages.unit.gpu-hours', 'suffix: GPU-h'),
    nodes: t('pages.unit.nodes', 'suffix: nodes'),
    pods: t('pages.unit.pods', 'suffix: pods'),
    instances: t('pages.unit.instances', 'suffix: instances'),
    cores: t('pages.unit.cores', 'suffix: cores'),
  };
}

/** How one field is shown; what is left out keeps the frame's own setting. */
export interface FieldText {
  displayName?: string;
  unit?: string;
  noValue?: string;
  /** Frame values (English words the data source writes) as the user reads them. */
  mappings?: ValueMapping[];
}

/** Frame text → its translation, shown in place of the value; other values are shown as they are. */
export function textMappings(texts: Record<string, string>): ValueMapping {
  return {
    type: MappingType.ValueToText,
    options: Object.fromEntries(Object.entries(texts).map(([value, text], index) => [value, { text, index }])),
  };
}

/** Overrides matching each field by its frame name. */
export function overrideFields<T>(overrides: FieldConfigOverridesBuilder<T>, fields: Record<string, FieldText>) {
  for (const [name, text] of Object.entries(fields)) {
    const field = overrides.matchFieldsWithName(name);
    if (text.displayName !== undefined) {
      field.overrideDisplayName(text.displayName);
    }
    if (text.unit !== undefined) {
      field.overrideUnit(text.unit);
    }
    if (text.noValue !== undefined) {
      field.overrideNoValue(text.noValue);
    }
    if (text.mappings !== undefined) {
      field.overrideMappings(text.mappings);
    }
  }
}

/** Frame text matching `pattern` rewritten as `text`, which may name the pattern's groups (`$1`). */
export function patternMapping(pattern: string, text: string): ValueMapping {
  return { type: MappingType.RegexToText, options: { pattern, result: { text } } };
}
