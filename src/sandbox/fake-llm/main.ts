import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startFakeLlm, type FakeLlmStep } from "./fake-llm.js";

/**
 * Run the fake model server on its own, for the sandbox demo:
 *   tsx src/sandbox/fake-llm/main.ts --script test/fixtures/llm/demo-script.json [--port 11434]
 * then point the App at it with OPENAI_BASE_URL=<url>/v1 or OLLAMA_HOST=<url>.
 */
const { values } = parseArgs({ options: { script: { type: "string" }, port: { type: "string" } }, strict: true });
if (!values.script) {
  process.stderr.write("usage: fake-llm --script <steps.json> [--port <n>]\n");
  process.exit(1);
}
const script = JSON.parse(readFileSync(values.script, "utf8")) as FakeLlmStep[];
const server = await startFakeLlm({ script, port: values.port ? Number(values.port) : 0 });
process.stdout.write(`fake LLM listening: OPENAI_BASE_URL=${server.openaiBaseUrl} OLLAMA_HOST=${server.ollamaHost} (${script.length} scripted answers)\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
