// The webhook burst's load generator, run in a process of its own (node, no TypeScript) so
// its work does not share the measured server's event loop. Reads a JSON job file
// { url, deliveries: [{ headers, body }], total, concurrency, warmup } and prints one JSON
// line: { times (ms per delivery), seconds, non2xx }. Each delivery is sent under a fresh
// delivery id; its signature covers the body only, so it stays valid.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";

const job = JSON.parse(readFileSync(process.argv[2], "utf8"));
const target = new URL(job.url);
const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });

function post(delivery) {
  return new Promise((resolve, reject) => {
    const body = Buffer.from(delivery.body, "utf8");
    const headers = { ...delivery.headers, "x-github-delivery": randomUUID(), "content-length": String(body.length) };
    delete headers["transfer-encoding"];
    delete headers.connection;
    delete headers.host;
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: "POST", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function run(total, record) {
  let next = 0;
  let non2xx = 0;
  const times = [];
  const worker = async () => {
    while (next < total) {
      const delivery = job.deliveries[next++ % job.deliveries.length];
      const t0 = performance.now();
      const status = await post(delivery);
      if (record) times.push(performance.now() - t0);
      if (status < 200 || status > 299) non2xx++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  return { times, seconds: (performance.now() - started) / 1000, non2xx };
}

await run(job.warmup ?? 0, false);
const result = await run(job.total, true);
process.stdout.write(JSON.stringify(result) + "\n");
agent.destroy();
