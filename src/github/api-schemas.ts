import { z } from "zod";

/**
 * The shapes of the GitHub answers the gateway reads, checked with zod so a surprise
 * (a renamed field, a null where we expected a value) fails loudly at the boundary instead
 * of misleading `decide`. Lists are lenient about extra fields and strict about the ones we use.
 */

const nodes = <T extends z.ZodType>(item: T) => z.object({ nodes: z.array(item.nullable()).transform((xs) => xs.filter((x) => x !== null)) });

/** `author` of an issue, comment or review; null when the account was deleted ("ghost"). */
export const GqlActor = z.object({ __typename: z.string().optional(), login: z.string() }).nullable();
export type GqlActor = z.infer<typeof GqlActor>;

export const GqlComment = z.object({
  id: z.string(),
  databaseId: z.number().int(),
  body: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  author: GqlActor,
});
export type GqlComment = z.infer<typeof GqlComment>;

const issueFields = {
  id: z.string(),
  databaseId: z.number().int(),
  number: z.number().int(),
  title: z.string(),
  body: z.string(),
  state: z.enum(["OPEN", "CLOSED"]),
  stateReason: z.enum(["COMPLETED", "NOT_PLANNED", "REOPENED", "DUPLICATE"]).nullable().optional(),
  createdAt: z.string().optional(),
  author: GqlActor,
  labels: nodes(z.object({ name: z.string() })).nullable().optional(),
};

/** Who edited an issue body and when (read for the milestone only). */
const editFields = {
  lastEditedAt: z.string().nullable().optional(),
  editor: GqlActor.optional(),
  userContentEdits: nodes(z.object({ editedAt: z.string(), editor: GqlActor })).nullable().optional(),
  renames: nodes(z.object({ createdAt: z.string(), previousTitle: z.string(), currentTitle: z.string(), actor: GqlActor })).nullable().optional(),
};

export const GqlIssue = z.object({ ...issueFields, ...editFields });
export type GqlIssue = z.infer<typeof GqlIssue>;

export const GqlSubIssue = z.object({ ...issueFields, blockedBy: nodes(z.object({ number: z.number().int() })).nullable().optional() });
export type GqlSubIssue = z.infer<typeof GqlSubIssue>;

export const GqlCheckContext = z.discriminatedUnion("__typename", [
  z.object({
    __typename: z.literal("CheckRun"),
    id: z.string(),
    name: z.string(),
    status: z.string(),
    conclusion: z.string().nullable(),
    title: z.string().nullable().optional(),
    summary: z.string().nullable().optional(),
    checkSuite: z.object({ app: z.object({ slug: z.string() }).nullable() }).nullable().optional(),
  }),
  z.object({
    __typename: z.literal("StatusContext"),
    context: z.string(),
    state: z.string(),
    description: z.string().nullable().optional(),
  }),
]);
export type GqlCheckContext = z.infer<typeof GqlCheckContext>;

export const GqlPull = z.object({
  id: z.string(),
  body: z.string().optional(),
  number: z.number().int(),
  state: z.enum(["OPEN", "CLOSED", "MERGED"]),
  merged: z.boolean(),
  isDraft: z.boolean(),
  headRefName: z.string(),
  headRefOid: z.string(),
  baseRefName: z.string(),
  mergeable: z.enum(["MERGEABLE", "CONFLICTING", "UNKNOWN"]),
  createdAt: z.string(),
  author: GqlActor,
  autoMergeRequest: z.object({ enabledAt: z.string().nullable() }).nullable(),
  reviews: nodes(
    z.object({
      databaseId: z.number().int().nullable(),
      author: GqlActor,
      authorCanPushToRepository: z.boolean(),
      state: z.enum(["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"]),
      commit: z.object({ oid: z.string() }).nullable(),
      submittedAt: z.string().nullable(),
    }),
  ).nullable(),
  commits: nodes(
    z.object({
      commit: z.object({
        oid: z.string(),
        statusCheckRollup: z.object({ contexts: nodes(GqlCheckContext) }).nullable(),
      }),
    }),
  ),
  mergeQueueEntry: z
    .object({
      headCommit: z.object({ oid: z.string(), statusCheckRollup: z.object({ contexts: nodes(GqlCheckContext) }).nullable() }).nullable(),
    })
    .nullable()
    .optional(),
  timelineItems: nodes(
    z.union([
      z.object({
        __typename: z.literal("RemovedFromMergeQueueEvent"),
        createdAt: z.string(),
        reason: z.string().nullable(),
        beforeCommit: z.object({ oid: z.string() }).nullable(),
      }),
      z.object({ __typename: z.string() }),
    ]),
  ).optional(),
});
export type GqlPull = z.infer<typeof GqlPull>;

export const GqlRef = z.object({
  name: z.string(),
  target: z.object({ oid: z.string() }).nullable(),
  associatedPullRequests: nodes(GqlPull),
});
export type GqlRef = z.infer<typeof GqlRef>;

/** A connection's paging facts (read where a list can pass 100 items). */
const PageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const paged = <T extends z.ZodType>(item: T) => nodes(item).extend({ pageInfo: PageInfo.optional() });

export const GqlLabel = z.object({ id: z.string(), name: z.string() });

/** The answer to CLAIM_REFS_QUERY. */
export const ClaimRefsResponse = z.object({ repository: z.object({ refs: paged(GqlRef).nullable() }).nullable() });

/** The answer to LABELS_QUERY. */
export const LabelsResponse = z.object({ repository: z.object({ labels: paged(GqlLabel).nullable() }).nullable() });

/** The answer to SNAPSHOT_QUERY. */
export const SnapshotResponse = z.object({
  repository: z
    .object({
      id: z.string(),
      defaultBranchRef: z.object({ name: z.string(), target: z.object({ oid: z.string() }).nullable() }).nullable(),
      labels: paged(GqlLabel).nullable(),
      issueOrPullRequest: z
        .union([
          z.object({
            __typename: z.literal("Issue"),
            ...issueFields,
            ...editFields,
            firstComments: nodes(GqlComment),
            comments: nodes(GqlComment),
            subIssues: nodes(GqlSubIssue),
          }),
          z.object({ __typename: z.literal("PullRequest") }),
        ])
        .nullable(),
      refs: paged(GqlRef).nullable(),
    })
    .nullable(),
  search: z.object({ issueCount: z.number().int() }),
});
export type SnapshotResponse = z.infer<typeof SnapshotResponse>;

/** The answer to ISSUE_WITH_COMMENTS_QUERY. */
export const IssueWithCommentsResponse = z.object({
  repository: z
    .object({
      issueOrPullRequest: z
        .union([
          z.object({ __typename: z.literal("Issue"), ...issueFields, ...editFields, comments: nodes(GqlComment) }),
          z.object({ __typename: z.literal("PullRequest") }),
        ])
        .nullable(),
    })
    .nullable(),
});

/** The answer to REPO_CONTEXT_QUERY. */
export const RepoContextResponse = z.object({
  repository: z.object({
    defaultBranchRef: z.object({ name: z.string() }).nullable(),
    labels: nodes(z.object({ name: z.string() })).nullable(),
    tree: z
      .object({
        entries: z
          .array(
            z.object({
              name: z.string(),
              type: z.string(),
              object: z.object({ entries: z.array(z.object({ name: z.string(), type: z.string() })).optional() }).nullable().optional(),
            }),
          )
          .optional(),
      })
      .nullable(),
    readme: z.object({ text: z.string().nullable().optional() }).nullable(),
    readmeLower: z.object({ text: z.string().nullable().optional() }).nullable(),
  }),
});

/** One workflow run from `GET /actions/runs`. */
export const RestRun = z.object({
  id: z.number().int(),
  display_title: z.string(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  html_url: z.string(),
});
export type RestRun = z.infer<typeof RestRun>;

/** `GET /branches/{branch}/protection`, the two parts Architect relies on. */
/** `GET /repos/{o}/{r}/rules/branches/{branch}`: the active rules that apply to a branch. */
export const RestBranchRules = z.array(
  z.object({ type: z.string(), parameters: z.record(z.string(), z.unknown()).nullish() }).passthrough(),
);

/** The parameters Architect reads from `required_status_checks`, `pull_request` and `merge_queue` rules. */
export const RestRuleParameters = z
  .object({
    required_status_checks: z.array(z.object({ context: z.string(), integration_id: z.number().int().nullish() })).optional(),
    strict_required_status_checks_policy: z.boolean().optional(),
    required_approving_review_count: z.number().int().optional(),
  })
  .passthrough();

export const RestProtection = z.object({
  required_status_checks: z
    .object({
      strict: z.boolean().optional(),
      contexts: z.array(z.string()).optional(),
      checks: z.array(z.object({ context: z.string(), app_id: z.number().int().nullish() })).optional(),
    })
    .nullable()
    .optional(),
  required_pull_request_reviews: z.object({ required_approving_review_count: z.number().int().optional() }).nullable().optional(),
});
