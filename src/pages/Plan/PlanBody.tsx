import React from 'react';
import type { SceneComponentProps } from '@grafana/scenes';
import { Grid } from '@grafana/ui';
import { InferenceSection } from './InferenceSection';
import type { PlanInputsObject } from './planScene';
import { TrainingSection } from './TrainingSection';

/** The two sizing sections side by side on a wide screen, stacked on a narrow one; every change lands in the URL. */
export function PlanBody({ model }: SceneComponentProps<PlanInputsObject>) {
  const inputs = model.useState();
  const onChange = (change: Parameters<typeof model.setState>[0]) => model.setState(change);
  return (
    <Grid gap={4} columns={{ xs: 1, xl: 2 }}>
      <TrainingSection inputs={inputs} onChange={onChange} />
      <InferenceSection inputs={inputs} onChange={onChange} />
    </Grid>
  );
}
