// Grafana's core visualisations are not on npm. These substitutes render the same @grafana/ui components the core
// panels use, with the core panels' default options, so app pages built with PanelBuilders show real values,
// units and colours. They implement the options our pages set, not every option of the core panels.
import {
  FieldColorModeId,
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  identityOverrideProcessor,
  PanelPlugin,
  renderTextPanelMarkdown,
  textUtil,
  VizOrientation,
  type FieldConfigEditorBuilder,
  type FieldDisplay,
  type PanelProps,
  type ReduceDataOptions,
} from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import {
  BarGaugeDisplayMode,
  BarGaugeNamePlacement,
  BarGaugeValueMode,
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  LegendDisplayMode,
} from '@grafana/schema';
import { BarGauge, BigValue, Table, TimeSeries, useTheme2, VizRepeater } from '@grafana/ui';
import React from 'react';

const DEFAULT_REDUCE: ReduceDataOptions = { calcs: ['lastNotNull'], values: false, fields: '' };

interface StatOptions {
  reduceOptions: ReduceDataOptions;
  colorMode: BigValueColorMode;
  graphMode: BigValueGraphMode;
  justifyMode: BigValueJustifyMode;
  textMode: BigValueTextMode;
  orientation: VizOrientation;
}

const STAT_DEFAULTS: StatOptions = {
  reduceOptions: DEFAULT_REDUCE,
  colorMode: BigValueColorMode.Value,
  graphMode: BigValueGraphMode.Area,
  justifyMode: BigValueJustifyMode.Auto,
  textMode: BigValueTextMode.Auto,
  orientation: VizOrientation.Auto,
};

function useDisplayValues(props: PanelProps, reduceOptions: ReduceDataOptions, sparkline: boolean): FieldDisplay[] {
  const theme = useTheme2();
  return getFieldDisplayValues({
    fieldConfig: props.fieldConfig,
    reduceOptions: { ...DEFAULT_REDUCE, ...reduceOptions },
    replaceVariables: props.replaceVariables,
    theme,
    data: props.data.series,
    sparkline,
    timeZone: props.timeZone,
  });
}

function StatPanel(props: PanelProps<Partial<StatOptions>>) {
  const theme = useTheme2();
  const options = { ...STAT_DEFAULTS, ...props.options };
  const values = useDisplayValues(props, options.reduceOptions, options.graphMode !== BigValueGraphMode.None);
  return (
    <VizRepeater
      source={props.data}
      renderCounter={props.renderCounter}
      getValues={() => values}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      width={props.width}
      height={props.height}
      orientation={options.orientation}
      itemSpacing={3}
      autoGrid
      renderValue={({ value, width, height, alignmentFactors, count }) => (
        <BigValue
          theme={theme}
          value={value.display}
          sparkline={value.sparkline}
          count={count}
          width={width}
          height={height}
          alignmentFactors={alignmentFactors}
          colorMode={options.colorMode}
          graphMode={options.graphMode}
          justifyMode={options.justifyMode}
          textMode={options.textMode}
        />
      )}
    />
  );
}

interface BarGaugeOptions {
  reduceOptions: ReduceDataOptions;
  orientation: VizOrientation;
  displayMode: BarGaugeDisplayMode;
  valueMode: BarGaugeValueMode;
  namePlacement: BarGaugeNamePlacement;
  showUnfilled: boolean;
  /** Title and value font sizes in px; automatic when unset. */
  text?: { titleSize?: number; valueSize?: number };
}

const BAR_GAUGE_DEFAULTS: BarGaugeOptions = {
  reduceOptions: DEFAULT_REDUCE,
  orientation: VizOrientation.Auto,
  displayMode: BarGaugeDisplayMode.Gradient,
  valueMode: BarGaugeValueMode.Color,
  namePlacement: BarGaugeNamePlacement.Auto,
  showUnfilled: true,
};

function BarGaugePanel(props: PanelProps<Partial<BarGaugeOptions>>) {
  const theme = useTheme2();
  const options = { ...BAR_GAUGE_DEFAULTS, ...props.options };
  const values = useDisplayValues(props, options.reduceOptions, false);
  return (
    <VizRepeater
      source={props.data}
      renderCounter={props.renderCounter}
      getValues={() => values}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      width={props.width}
      height={props.height}
      orientation={options.orientation}
      itemSpacing={8}
      renderValue={({ value, width, height, alignmentFactors, orientation }) => (
        <BarGauge
          theme={theme}
          value={value.display}
          field={value.field}
          display={value.colIndex === undefined ? undefined : value.view?.getFieldDisplayProcessor(value.colIndex)}
          width={width}
          height={height}
          orientation={orientation}
          alignmentFactors={alignmentFactors}
          displayMode={options.displayMode}
          valueDisplayMode={options.valueMode}
          namePlacement={options.namePlacement}
          showUnfilled={options.showUnfilled}
          text={options.text}
          isOverflow={false}
        />
      )}
    />
  );
}

function TablePanel({ data, width, height, id, fieldConfig }: PanelProps) {
  const frame = data.series[0];
  if (!frame || frame.length === 0) {
    return <PanelDataErrorView panelId={id} data={data} fieldConfig={fieldConfig} />;
  }
  return <Table data={frame} width={width} height={height} />;
}

interface TimeSeriesOptions {
  legend: { displayMode: LegendDisplayMode; placement: 'bottom' | 'right'; showLegend: boolean; calcs: string[] };
}

const TIME_SERIES_DEFAULTS: TimeSeriesOptions = {
  legend: { displayMode: LegendDisplayMode.List, placement: 'bottom', showLegend: true, calcs: [] },
};

function TimeSeriesPanel(props: PanelProps<Partial<TimeSeriesOptions>>) {
  const { data, width, height, timeRange, timeZone, id, fieldConfig } = props;
  const options = { ...TIME_SERIES_DEFAULTS, ...props.options };
  if (!data.series.some((frame) => frame.length > 0)) {
    return <PanelDataErrorView panelId={id} data={data} fieldConfig={fieldConfig} needsTimeField needsNumberField />;
  }
  return (
    <TimeSeries
      frames={data.series}
      structureRev={data.structureRev}
      timeRange={timeRange}
      timeZone={timeZone}
      width={width}
      height={height}
      legend={options.legend}
      options={options}
    />
  );
}

interface TextOptions {
  mode: 'markdown' | 'html';
  content: string;
}

function TextPanel({ options, replaceVariables }: PanelProps<Partial<TextOptions>>) {
  const content = replaceVariables(options.content ?? '');
  const html = options.mode === 'html' ? textUtil.sanitize(content) : renderTextPanelMarkdown(content);
  return <div className="markdown-html" dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * Custom field options of the core panels, with Grafana's defaults. Registering them matters beyond defaults:
 * scenes drops fieldConfig properties and overrides that the panel does not register, and the table's cells
 * are chosen by `cellOptions`.
 */
const TABLE_CUSTOM_DEFAULTS: Record<string, unknown> = {
  align: 'auto',
  cellOptions: { type: 'auto' },
  inspect: false,
  filterable: false,
  // Column width has no default in Grafana (the table shares the room out); minWidth's is 150 px.
  width: undefined,
  minWidth: 150,
  wrapText: false,
  // A field hidden from the table (Grafana 12's TableNG and the react-table both skip `hideFrom.viz`).
  hideFrom: { viz: false, legend: false, tooltip: false },
  // A cell's tooltip from another field (TableNG, Grafana 12); the react-table drawn here does not show it.
  tooltip: undefined,
};

const GRAPH_CUSTOM_DEFAULTS: Record<string, unknown> = {
  drawStyle: 'line',
  lineInterpolation: 'linear',
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: 'none',
  spanNulls: false,
  insertNulls: false,
  showPoints: 'auto',
  pointSize: 5,
  stacking: { mode: 'none', group: 'A' },
  axisPlacement: 'auto',
  axisLabel: '',
  axisColorMode: 'text',
  axisBorderShow: false,
  axisCenteredZero: false,
  scaleDistribution: { type: 'linear' },
  barAlignment: 0,
  hideFrom: { tooltip: false, viz: false, legend: false },
  thresholdsStyle: { mode: 'off' },
};

const NoEditor = () => null;

const customConfig =
  (defaults: Record<string, unknown>) => (builder: FieldConfigEditorBuilder<Record<string, unknown>>) => {
    for (const [path, defaultValue] of Object.entries(defaults)) {
      builder.addCustomEditor({
        id: path,
        path,
        name: path,
        defaultValue,
        editor: NoEditor,
        override: NoEditor,
        process: identityOverrideProcessor,
        shouldApply: () => true,
      });
    }
  };

export const CORE_PANELS: Record<string, () => PanelPlugin> = {
  stat: () => new PanelPlugin(StatPanel).useFieldConfig(),
  bargauge: () => new PanelPlugin(BarGaugePanel).useFieldConfig(),
  table: () => new PanelPlugin(TablePanel).useFieldConfig({ useCustomConfig: customConfig(TABLE_CUSTOM_DEFAULTS) }),
  timeseries: () =>
    new PanelPlugin(TimeSeriesPanel).useFieldConfig({
      // The core time series panel defaults to the classic palette, so each series gets its own colour.
      standardOptions: { color: { defaultValue: { mode: FieldColorModeId.PaletteClassic } } },
      useCustomConfig: customConfig(GRAPH_CUSTOM_DEFAULTS),
    }),
  text: () => new PanelPlugin(TextPanel),
};
