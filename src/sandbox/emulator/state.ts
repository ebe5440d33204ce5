import type { Clock } from "../../shared/clock.js";
import { AccountsModel } from "./accounts.js";
import { ActionsModel } from "./actions.js";
import { ChecksModel } from "./checks.js";
import { CommentsModel } from "./comments.js";
import { DependenciesModel } from "./dependencies.js";
import type { EventListener, WorldEvent, WorldEventData } from "./events.js";
import { GitRefsModel } from "./git-refs.js";
import { IdAllocator, type NodeType } from "./ids.js";
import { IssuesModel } from "./issues.js";
import { MergeQueueModel } from "./merge-queue.js";
import type {
  App,
  CheckRun,
  CheckSuite,
  Comment,
  Commit,
  Installation,
  Issue,
  Label,
  PullRequest,
  Repo,
  Review,
  TokenGrant,
  User,
  Workflow,
  WorkflowRun,
} from "./model.js";
import { ProtectionModel } from "./protection.js";
import { PullsModel } from "./pulls.js";
import { RepositoriesModel } from "./repositories.js";
import { ReviewsModel } from "./reviews.js";
import { RulesetsModel } from "./rulesets.js";
import { SubIssuesModel } from "./sub-issues.js";

export type * from "./model.js";
export type { WorldEvent, WorldEventData, EventListener } from "./events.js";
export type { BranchRequirements, MergeCheck } from "./protection.js";
export { GitHubApiError } from "./errors.js";
export { LIMITS } from "./limits.js";
export { closingReferences } from "./pulls.js";

/** What a node id resolves to; GraphQL `node(id:)` and mutations taking ids use it. */
export type NodeRef =
  | { type: "User" | "Bot"; ref: User }
  | { type: "App"; ref: App }
  | { type: "Installation"; ref: Installation }
  | { type: "Repository"; ref: Repo }
  | { type: "Issue"; ref: Issue }
  | { type: "PullRequest"; ref: PullRequest }
  | { type: "IssueComment"; ref: Comment }
  | { type: "Label"; ref: Label }
  | { type: "Commit"; ref: Commit }
  | { type: "PullRequestReview"; ref: Review }
  | { type: "CheckRun"; ref: CheckRun }
  | { type: "CheckSuite"; ref: CheckSuite }
  | { type: "Workflow"; ref: Workflow }
  | { type: "WorkflowRun"; ref: WorkflowRun };

/**
 * The in-memory GitHub: plain data plus the mutation methods that apply GitHub's rules and
 * emit the webhook events a real change would. Nothing here speaks HTTP, so REST routes,
 * GraphQL resolvers and scripted actors all share one set of semantics.
 *
 * This file holds the plumbing (ids, node registry, event emission). Each part of GitHub's
 * model lives in its own file as a class whose methods are mixed into `World` (see the
 * list at the bottom): accounts, repositories, protection, rulesets, issues, comments,
 * sub-issues, dependencies, git-refs, pulls, merge-queue, reviews, checks, actions. Add a
 * behaviour to the file of the part it belongs to; its methods take `this: World` and see
 * the whole world.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the parts are mixins (below)
export class World {
  readonly clock: Clock;
  readonly ids = new IdAllocator();
  /** Base of `url` fields; the server sets it to its own address once listening. */
  apiUrl = "https://api.github.com";
  readonly htmlUrl = "https://github.com";

  readonly users = new Map<string, User>();
  readonly apps = new Map<number, App>();
  readonly installations = new Map<number, Installation>();
  /** by lower-cased `owner/name` */
  readonly repos = new Map<string, Repo>();
  readonly tokens = new Map<string, TokenGrant>();
  readonly nodes = new Map<string, NodeRef>();

  private readonly listeners = new Set<EventListener>();
  /** Makes commit shas unique even for identical content and time (git-refs.ts). */
  shaSalt = 0;

  constructor(options: { clock: Clock }) {
    this.clock = options.clock;
  }

  /** Receive every event (webhooks and actors subscribe); returns an unsubscribe function. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve a GraphQL node id back to the object it names. */
  lookupNode(nodeId: string): NodeRef | null {
    return this.nodes.get(nodeId) ?? null;
  }

  /** Deliver a world event to every listener (the parts call this for each change). */
  emit(name: string, action: string | null, repo: Repo, sender: User, data: WorldEventData): void {
    const event: WorldEvent = { name, action, repo, sender, at: this.clock.now(), data };
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Record a new object under its node id. */
  register<T extends NodeRef>(entry: T): T["ref"] {
    const ref = entry.ref as { nodeId: string };
    this.nodes.set(ref.nodeId, entry);
    return entry.ref;
  }

  /** A fresh database id and its node id. */
  newIds(type: NodeType): { id: number; nodeId: string } {
    const id = this.ids.id();
    return { id, nodeId: this.ids.nodeId(type, id) };
  }
}

const PARTS = [
  AccountsModel,
  RepositoriesModel,
  ProtectionModel,
  RulesetsModel,
  IssuesModel,
  CommentsModel,
  SubIssuesModel,
  DependenciesModel,
  GitRefsModel,
  PullsModel,
  MergeQueueModel,
  ReviewsModel,
  ChecksModel,
  ActionsModel,
] as const;

// The parts are mixins: their methods are copied onto World's
// prototype and this interface gives World their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface World
  extends AccountsModel,
    RepositoriesModel,
    ProtectionModel,
    RulesetsModel,
    IssuesModel,
    CommentsModel,
    SubIssuesModel,
    DependenciesModel,
    GitRefsModel,
    PullsModel,
    MergeQueueModel,
    ReviewsModel,
    ChecksModel,
    ActionsModel {}

for (const part of PARTS) {
  for (const name of Object.getOwnPropertyNames(part.prototype)) {
    if (name === "constructor") continue;
    if (Object.prototype.hasOwnProperty.call(World.prototype, name)) throw new Error(`World: two parts define ${name}`);
    Object.defineProperty(World.prototype, name, Object.getOwnPropertyDescriptor(part.prototype, name)!);
  }
}
