/** Runs a script's main when its file is executed rather than imported by a test: an error's message, not a stack, and exit 1. */
export function runIfMain(scriptModule: NodeModule, main: () => void): void {
  if (require.main !== scriptModule) {
    return;
  }
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
