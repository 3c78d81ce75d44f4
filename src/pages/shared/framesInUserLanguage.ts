import { SceneDataTransformer, type SceneDataProvider, type SceneDataTransformerState } from '@grafana/scenes';
import { map } from 'rxjs';
import type { DataFrame } from '@grafana/data';
import { errorsInUserLanguage, inUserLanguage } from '../../datasource/wording/frameTexts';

/**
 * A transformer whose query errors are worded in the user's language from the codes the answer carries beside them
 * (`texts.errors`, docs/i18n.md). Scenes runs transformations on the frames only and passes `errors` through as the
 * data source wrote them, so without this the error badge of a panel Grafana draws would keep the English message.
 */
class UserLanguageTransformer extends SceneDataTransformer {
  public setState(update: Partial<SceneDataTransformerState>): void {
    const data = update.data;
    if (!data?.errors?.length) {
      super.setState(update);
      return;
    }
    // The code rides on a frame of the answer (`Error text`) that the transformations leave out: read the source's.
    // Grafana's panel header reads `errors` (its deprecated `error` only when there are none).
    const frames = this.getSourceData().state.data?.series ?? [];
    super.setState({ ...update, data: { ...data, errors: errorsInUserLanguage(data.errors, frames) } });
  }
}

/**
 * The frames that `select` keeps of the parent runner's answer (or of `$data`'s), for a panel that shows part of the
 * answer, with the cells, notices and errors that carry a code worded in the user's language.
 */
export function framesInUserLanguage(
  select: (frames: DataFrame[]) => DataFrame[],
  $data?: SceneDataProvider
): SceneDataProvider {
  return new UserLanguageTransformer({
    $data,
    transformations: [() => (source) => source.pipe(map((frames: DataFrame[]) => inUserLanguage(select(frames))))],
  });
}
