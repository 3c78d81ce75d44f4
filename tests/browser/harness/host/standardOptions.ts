// Grafana fills two registries of @grafana/data at boot from core code that is not on npm
// (public/app/core/components/OptionsUI/registry.tsx): the option editors that panel builders look up by id
// (`addNumberInput` needs "number", ...) and the standard field options with their defaults and processors, which
// applyFieldOverrides uses to turn a panel's fieldConfig into each field's config. The field options below carry
// Grafana's ids, paths, defaults and processors. The harness never shows panel edit mode, so every editor
// component is an empty placeholder.
import {
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigProperty,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  unitOverrideProcessor,
  valueMappingsOverrideProcessor,
  type Field,
  type FieldConfigPropertyItem,
  type StandardEditorsRegistryItem,
} from '@grafana/data';

const NoEditor = () => null;

const EDITOR_IDS = [
  'boolean',
  'color',
  'dashboard-uid',
  'field-name',
  'multi-select',
  'number',
  'radio',
  'select',
  'slider',
  'strings',
  'text',
  'timezone',
  'unit',
  'thresholds',
  'mappings',
  'links',
  'actions',
  'fieldColor',
  'stats-picker',
  'interval',
];

const isNumeric = (field: Field) => field.type === FieldType.number;
const always = () => true;

type StandardOption = Pick<FieldConfigPropertyItem, 'id' | 'process' | 'shouldApply' | 'settings'> & {
  category: string;
  defaultValue?: unknown;
};

const STANDARD_OPTIONS: StandardOption[] = [
  { id: FieldConfigProperty.Unit, category: 'Standard options', process: unitOverrideProcessor, shouldApply: always },
  {
    id: FieldConfigProperty.Min,
    category: 'Standard options',
    process: numberOverrideProcessor,
    shouldApply: isNumeric,
  },
  {
    id: FieldConfigProperty.Max,
    category: 'Standard options',
    process: numberOverrideProcessor,
    shouldApply: isNumeric,
  },
  {
    id: FieldConfigProperty.FieldMinMax,
    category: 'Standard options',
    process: booleanOverrideProcessor,
    shouldApply: isNumeric,
  },
  {
    id: FieldConfigProperty.Decimals,
    category: 'Standard options',
    process: numberOverrideProcessor,
    shouldApply: isNumeric,
  },
  {
    id: FieldConfigProperty.DisplayName,
    category: 'Standard options',
    process: displayNameOverrideProcessor,
    shouldApply: always,
    // Display names may use ${__field.labels.x}: the processor interpolates them only with this setting.
    settings: { expandTemplateVars: true },
  },
  {
    id: FieldConfigProperty.Color,
    category: 'Standard options',
    process: identityOverrideProcessor,
    shouldApply: always,
    defaultValue: { mode: 'thresholds' },
  },
  {
    id: FieldConfigProperty.NoValue,
    category: 'Standard options',
    process: stringOverrideProcessor,
    shouldApply: always,
  },
  {
    id: FieldConfigProperty.Thresholds,
    category: 'Thresholds',
    process: thresholdsOverrideProcessor,
    shouldApply: always,
    defaultValue: {
      mode: ThresholdsMode.Absolute,
      steps: [
        { value: -Infinity, color: 'green' },
        { value: 80, color: 'red' },
      ],
    },
  },
  {
    id: FieldConfigProperty.Mappings,
    category: 'Value mappings',
    process: valueMappingsOverrideProcessor,
    shouldApply: always,
    defaultValue: [],
  },
  { id: FieldConfigProperty.Links, category: 'Data links', process: dataLinksOverrideProcessor, shouldApply: always },
  { id: FieldConfigProperty.Actions, category: 'Actions', process: identityOverrideProcessor, shouldApply: always },
  { id: FieldConfigProperty.Filterable, category: 'Hidden', process: booleanOverrideProcessor, shouldApply: always },
];

export function registerStandardOptions(): void {
  standardEditorsRegistry.setInit(() =>
    EDITOR_IDS.map((id): StandardEditorsRegistryItem => ({ id, name: id, editor: NoEditor }))
  );
  standardFieldConfigEditorRegistry.setInit(() =>
    STANDARD_OPTIONS.map(({ id, category, process, shouldApply, defaultValue, settings }): FieldConfigPropertyItem => ({
      id,
      settings,
      path: id,
      name: id,
      category: [category],
      defaultValue,
      process,
      shouldApply,
      editor: NoEditor,
      override: NoEditor,
    }))
  );
}
