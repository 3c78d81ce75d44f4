/** The efficiency task moved to frames/efficiency/efficiencyTask.ts (the backend runs it too); panels read it here. */
export * from '../../frames/efficiency/efficiencyTask';
