/**
 * Database ids and GraphQL node ids. Ids come from one global counter starting far above
 * issue numbers, so code that confuses an issue's `id` with its `number` fails loudly.
 */
export type NodeType =
  | "User"
  | "Bot"
  | "App"
  | "Installation"
  | "Repository"
  | "Issue"
  | "PullRequest"
  | "IssueComment"
  | "Label"
  | "Commit"
  | "Ref"
  | "PullRequestReview"
  | "PullRequestReviewComment"
  | "PullRequestReviewThread"
  | "CheckRun"
  | "CheckSuite"
  | "Workflow"
  | "WorkflowRun"
  | "UserContentEdit"
  | "RepositoryRuleset"
  | "MergeQueueEntry"
  | "RemovedFromMergeQueueEvent"
  | "RenamedTitleEvent";

const PREFIX: Record<NodeType, string> = {
  User: "U",
  Bot: "BOT",
  App: "A",
  Installation: "MDEy",
  Repository: "R",
  Issue: "I",
  PullRequest: "PR",
  IssueComment: "IC",
  Label: "LA",
  Commit: "C",
  Ref: "REF",
  PullRequestReview: "PRR",
  PullRequestReviewComment: "PRRC",
  PullRequestReviewThread: "PRRT",
  CheckRun: "CR",
  CheckSuite: "CS",
  Workflow: "W",
  WorkflowRun: "WFR",
  UserContentEdit: "UCE",
  RenamedTitleEvent: "RTE",
  RepositoryRuleset: "RRS",
  MergeQueueEntry: "MQE",
  RemovedFromMergeQueueEvent: "RFMQE",
};

/** Issues ids and node ids; one per world so two sandboxes never share ids. */
export class IdAllocator {
  private next: number;
  constructor(start = 1_000_001) {
    this.next = start;
  }
  /** A fresh database id. */
  id(): number {
    return this.next++;
  }
  /** A node id in GitHub's new style (`I_kwDO…`), opaque to clients but unique per object. */
  nodeId(type: NodeType, id: number | string): string {
    const packed = Buffer.from(`${type}:${id}`).toString("base64url");
    return `${PREFIX[type]}_kwDO${packed}`;
  }
}
