import { reportFailure, runStep } from "./steps.js";

/**
 * Entry point of the JavaScript action (`agent-action/action.yml`, bundled into
 * `agent-action/dist/index.mjs` by `npm run build:action`). The runner passes the action's
 * `step` input as INPUT_STEP.
 */
runStep(process.env.INPUT_STEP?.trim()).catch(reportFailure);
