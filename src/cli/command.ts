// HELPER NOTE (temporary, removed by the lead): read /work/notes/common.md before anything else — it holds the rules for this shared repository (no npm install, no git commit, no edits outside your folders).
export interface CliCommand {
  summary: string;
  /** Runs with the arguments after the command name; resolves to the process exit code. */
  run(args: string[]): Promise<number>;
}
