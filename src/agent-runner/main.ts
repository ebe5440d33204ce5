import { reportFailure, runStep } from "./steps.js";

/** Command-line entry point: `tsx src/agent-runner/main.ts prepare|install|agent|publish` (local runs and tests). */
runStep(process.argv[2]).catch(reportFailure);
