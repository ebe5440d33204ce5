import { createHmac, randomUUID } from "node:crypto";
import type { Clock } from "../../shared/clock.js";
import type { WorldEvent } from "./events.js";
import { mulberry32 } from "./faults.js";
import type { App } from "./model.js";
import { buildPayload } from "./payloads.js";
import type { Serializer } from "./serialize.js";
import type { World } from "./state.js";

/**
 * Delivers world events as signed webhooks to every App with a webhook URL installed on
 * the event's repository. GitHub gives no ordering or exactly-once guarantee, so for fault
 * tests deliveries can be duplicated (same GUID, as a redelivery), delayed, shuffled
 * within a window, or dropped — all from one seed.
 */
export interface DeliveryOptions {
  seed?: number;
  /** Chance that an event is delivered more than once (2 or 3 copies, same GUID). */
  duplicateRate?: number;
  /** Chance that an event is never delivered. */
  dropRate?: number;
  /** Fixed delay before delivery, sandbox ms. */
  delayMs?: number;
  /** Extra random delay in [0, window) per copy, which reorders events (sandbox ms). */
  shuffleWindowMs?: number;
  /** Deliveries in flight at once; 1 (default) delivers strictly in scheduled order. */
  concurrency?: number;
}

export interface DeliveryRecord {
  guid: string;
  app: string;
  event: string;
  action: string | null;
  /** 1 for the first copy, 2..3 for duplicates. */
  copy: number;
  status: "scheduled" | "delivered" | "failed" | "dropped";
  statusCode: number | null;
  error: string | null;
  /** Sandbox time the event happened. */
  at: number;
}

/** HMAC-SHA256 of the raw body, as GitHub's `X-Hub-Signature-256` (`sha256=<hex>`). */
export function signPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`;
}

interface Job {
  app: App;
  record: DeliveryRecord;
  body: string;
}

export class WebhookDeliverer {
  readonly log: DeliveryRecord[] = [];
  private readonly random: () => number;
  private readonly queue: Job[] = [];
  private inFlight = 0;
  private pending = 0;
  private waiters: (() => void)[] = [];
  private unsubscribe: (() => void) | null = null;
  private readonly cancelTimers = new Set<() => void>();

  constructor(
    private readonly world: World,
    private readonly ser: Serializer,
    private readonly clock: Clock,
    private readonly options: DeliveryOptions = {},
  ) {
    this.random = mulberry32(options.seed ?? 1);
  }

  start(): void {
    this.unsubscribe ??= this.world.subscribe((event) => this.onEvent(event));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const cancel of this.cancelTimers) cancel();
    this.cancelTimers.clear();
  }

  /** Resolves once no delivery is scheduled, queued or in flight. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Deliveries not yet finished (scheduled, queued or in flight). */
  pendingCount(): number {
    return this.pending;
  }

  private onEvent(event: WorldEvent): void {
    for (const app of this.world.apps.values()) {
      if (!app.webhookUrl) continue;
      const installation = this.world.installationFor(app, event.repo);
      if (!installation) continue;
      // Built now: the objects keep changing after the event.
      const body = JSON.stringify(buildPayload(this.ser, event, installation));
      const guid = randomUUID();
      const base = { guid, app: app.slug, event: event.name, action: event.action, statusCode: null, error: null, at: event.at };
      if (this.random() < (this.options.dropRate ?? 0)) {
        this.log.push({ ...base, copy: 1, status: "dropped" });
        continue;
      }
      let copies = 1;
      if (this.random() < (this.options.duplicateRate ?? 0)) copies = this.random() < 0.5 ? 2 : 3;
      for (let copy = 1; copy <= copies; copy++) {
        const record: DeliveryRecord = { ...base, copy, status: "scheduled" };
        this.log.push(record);
        const delay = (this.options.delayMs ?? 0) + (this.options.shuffleWindowMs ?? 0) * this.random();
        this.pending++;
        const job = { app, record, body };
        if (delay <= 0) this.enqueue(job);
        else {
          const cancel = this.clock.setTimer(delay, () => {
            this.cancelTimers.delete(cancel);
            this.enqueue(job);
          });
          this.cancelTimers.add(cancel);
        }
      }
    }
  }

  private enqueue(job: Job): void {
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 1;
    while (this.inFlight < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.inFlight++;
      void this.deliver(job).finally(() => {
        this.inFlight--;
        this.pending--;
        this.pump();
        if (this.pending === 0) {
          const waiters = this.waiters;
          this.waiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    }
  }

  private async deliver(job: Job): Promise<void> {
    const { app, record, body } = job;
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/sandbox",
      "x-github-event": record.event,
      "x-github-delivery": record.guid,
      "x-github-hook-id": String(app.id),
      "x-github-hook-installation-target-type": "integration",
      "x-github-hook-installation-target-id": String(app.id),
    };
    if (app.webhookSecret) {
      headers["x-hub-signature-256"] = signPayload(app.webhookSecret, body);
      headers["x-hub-signature"] = `sha1=${createHmac("sha1", app.webhookSecret).update(body, "utf8").digest("hex")}`;
    }
    try {
      const response = await fetch(app.webhookUrl!, { method: "POST", headers, body, signal: AbortSignal.timeout(30_000) });
      await response.arrayBuffer();
      record.statusCode = response.status;
      record.status = response.ok ? "delivered" : "failed";
    } catch (error) {
      record.status = "failed";
      record.error = error instanceof Error ? error.message : String(error);
    }
  }
}
