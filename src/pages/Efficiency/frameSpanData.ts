/**
 * One named frame of the data above, with the panel's time axis set to the span of that frame's time field. The
 * budget burn frame spans its whole month while its query keeps the page's range (whose end is "now" for the
 * month-to-date), so the chart shows the month however short the page's range is.
 */
import { dateTime, FieldType, type DataFrame, type PanelData } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  type SceneDataProvider,
  type SceneDataProviderResult,
  type SceneDataState,
} from '@grafana/scenes';
import { map, type Observable } from 'rxjs';

interface FrameSpanDataState extends SceneDataState {
  frameName: string;
}

/** First and last time of the frame's time field (sorted ascending), or undefined when it has none. */
function spanOf(frame: DataFrame | undefined): [number, number] | undefined {
  const times = frame?.fields.find((f) => f.type === FieldType.time)?.values;
  return times && times.length > 0 ? [times[0], times[times.length - 1]] : undefined;
}

export class FrameSpanData extends SceneObjectBase<FrameSpanDataState> implements SceneDataProvider {
  constructor(state: FrameSpanDataState) {
    super(state);
    this.addActivationHandler(() => {
      const source = this.source();
      this.publish(source.state.data);
      this._subs.add(source.subscribeToState((next) => this.publish(next.data)));
    });
  }

  /** The provider of the panel's container: this object is the panel's `$data`, so start above the panel. */
  private source(): SceneDataProvider {
    return sceneGraph.getData(this.parent!.parent!);
  }

  private narrowed(data: PanelData): PanelData {
    const series = data.series.filter((frame) => frame.name === this.state.frameName);
    const span = spanOf(series[0]);
    if (!span) {
      return { ...data, series };
    }
    const [from, to] = span.map((ms) => dateTime(ms));
    return { ...data, series, timeRange: { from, to, raw: { from, to } } };
  }

  private publish(data: PanelData | undefined): void {
    if (data) {
      this.setState({ data: this.narrowed(data) });
    }
  }

  getResultsStream(): Observable<SceneDataProviderResult> {
    return this.source()
      .getResultsStream()
      .pipe(map((result) => ({ data: this.narrowed(result.data), origin: this })));
  }

  isDataReadyToDisplay(): boolean {
    return this.source().isDataReadyToDisplay?.() ?? true;
  }

  setContainerWidth(width: number): void {
    this.source().setContainerWidth?.(width);
  }

  cancelQuery(): void {
    this.source().cancelQuery?.();
  }
}
