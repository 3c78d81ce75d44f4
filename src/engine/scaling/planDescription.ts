import { isoSeconds } from '../series/timeText';

/** What a plan's objects act on, in one sentence: the plan annotation and the first comment line of the export. */
export interface PlanDescriptionInput {
  /** `mean`, or an interval level whose upper bound is planned for ("95"). */
  level: string;
  model: string;
  label: string;
  startSeconds: number;
  hours: number;
  targetUtilisation: number;
  coldStartLeadSeconds: number;
  safetyFactor: number;
}

export function planDescription(input: PlanDescriptionInput): string {
  const level = input.level === 'mean' ? 'the mean' : `the ${input.level} % upper bound`;
  return (
    `GPUs needed for ${level} of the ${input.model} forecast of ${input.label} from ` +
    `${isoSeconds(input.startSeconds)} (${input.hours} h) at ${input.targetUtilisation * 100} % ` +
    `utilisation, cold start ${input.coldStartLeadSeconds / 60} min, safety factor ${input.safetyFactor}`
  );
}
