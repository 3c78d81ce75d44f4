import React from 'react';
import type { SceneComponentProps } from '@grafana/scenes';
import { Grid, Stack } from '@grafana/ui';
import { InferenceSection } from './InferenceSection';
import { measuredModels } from './measuredModels';
import { inferenceOutcome } from './planResults';
import { RateSection } from './RateSection';
import type { PlanInputsObject } from './planScene';
import { TrainingSection } from './TrainingSection';

/** The two sizing sections side by side on a wide screen, stacked on a narrow one; every change lands in the URL. */
export function PlanBody({ model }: SceneComponentProps<PlanInputsObject>) {
  const inputs = model.useState();
  const { data } = model.state.$data.useState();
  const onChange = (change: Parameters<typeof model.setState>[0]) => model.setState(change);
  const replica = inferenceOutcome(inputs);
  return (
    <Grid gap={4} columns={{ xs: 1, xl: 2 }}>
      <TrainingSection inputs={inputs} onChange={onChange} />
      <Stack direction="column" gap={4}>
        <InferenceSection inputs={inputs} onChange={onChange} />
        <RateSection
          inputs={inputs}
          onChange={onChange}
          measured={measuredModels(data?.series)}
          gpusPerReplica={replica.ok ? replica.value.gpusPerReplica : 1}
        />
      </Stack>
    </Grid>
  );
}
