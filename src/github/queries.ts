/**
 * Every GraphQL document the gateway sends. They live in one file so the emulator's
 * resolvers, the app and the tests agree on exactly which fields are read, and so a
 * test can validate each of them against GitHub's schema (extended with blocked-by).
 *
 * Notes that shape the queries:
 * - `Bot.login` in GraphQL has no `[bot]` suffix (REST adds it), so every author asks for
 *   `__typename` and the mapper restores the suffix.
 * - `isRequired` on a check needs a pull request argument that cannot vary per node in one
 *   document; required checks come from branch protection (REST, cached) instead.
 * - `issueOrPullRequest` lets a PR number resolve to null rather than a NOT_FOUND error.
 */

/** Fields of an issue that map to `IssueFacts`. */
const ISSUE_FIELDS = `
  id databaseId number title body state stateReason createdAt
  author { __typename login }`;

/**
 * Who last edited an issue body and when, and its newest edits (GitHub lists
 * `userContentEdits` newest first). Read for the milestone only: planning trusts only text
 * that someone with write access wrote or last edited before the command. Title renames are
 * `RenamedTitleEvent` timeline items (the newest 5), not content edits.
 */
const EDIT_FIELDS = `
  lastEditedAt editor { __typename login }
  userContentEdits(first: 10) { nodes { editedAt editor { __typename login } } }
  renames: timelineItems(itemTypes: [RENAMED_TITLE_EVENT], last: 5) {
    nodes { ... on RenamedTitleEvent { createdAt previousTitle currentTitle actor { __typename login } } }
  }`;

const COMMENT_FIELDS = `id databaseId body createdAt updatedAt author { __typename login }`;

/** The checks on a commit (a PR's head, or its merge group's head in a merge queue). */
const ROLLUP_FIELDS = `
        statusCheckRollup {
          contexts(first: 50) {
            nodes {
              __typename
              ... on CheckRun { id name status conclusion title summary checkSuite { app { slug } } }
              ... on StatusContext { context state description }
            }
          }
        }`;

const PULL_FIELDS = `
  id number body state merged isDraft headRefName headRefOid baseRefName mergeable createdAt
  author { __typename login }
  autoMergeRequest { enabledAt }
  reviews(last: 50) {
    nodes { databaseId author { __typename login } authorCanPushToRepository state commit { oid } submittedAt }
  }
  commits(last: 1) {
    nodes {
      commit {
        oid
        ${ROLLUP_FIELDS}
      }
    }
  }
  mergeQueueEntry { headCommit { oid ${ROLLUP_FIELDS} } }
  timelineItems(itemTypes: [REMOVED_FROM_MERGE_QUEUE_EVENT], last: 5) {
    nodes { __typename ... on RemovedFromMergeQueueEvent { createdAt reason beforeCommit { oid } } }
  }`;

/** Prefix of every claim branch; the snapshot reads refs under it. */
export const CLAIM_REF_PREFIX = "refs/heads/architect/";

/**
 * Repository labels are searched for this text (GitHub's `labels(query:)` matches name and
 * description): every label Architect writes is named `architect:…`, so a repository with
 * hundreds of other labels still answers in one page. More matches are paged.
 */
export const ARCHITECT_LABEL_QUERY = "architect";

/** One page of claim refs: every one of them is read, page after page (GraphQL `pageInfo`). */
const CLAIM_REFS_PAGE = `
      pageInfo { hasNextPage endCursor }
      nodes {
        name
        target { oid }
        associatedPullRequests(first: 3, states: [OPEN, MERGED, CLOSED], orderBy: { field: CREATED_AT, direction: DESC }) {
          nodes { ${PULL_FIELDS} }
        }
      }`;

const LABELS_PAGE = `pageInfo { hasNextPage endCursor } nodes { id name }`;

/**
 * The claim refs after the snapshot's first page. Connections give at most 100 nodes a page
 * (github-platform.md, "GraphQL": connections past 100 items need paging); a busy
 * repository can hold more claim branches than that.
 */
export const CLAIM_REFS_QUERY = `
query ArchitectClaimRefs($owner: String!, $name: String!, $after: String!) {
  repository(owner: $owner, name: $name) {
    refs(refPrefix: "${CLAIM_REF_PREFIX}", first: 100, after: $after) { ${CLAIM_REFS_PAGE} }
  }
}`;

/** Architect's repository labels after the snapshot's first page. */
export const LABELS_QUERY = `
query ArchitectLabels($owner: String!, $name: String!, $after: String!) {
  repository(owner: $owner, name: $name) {
    labels(first: 100, query: "${ARCHITECT_LABEL_QUERY}", after: $after) { ${LABELS_PAGE} }
  }
}`;

/**
 * One request for everything `decide` needs about one milestone. The first comments are
 * read as well as the last ones because the control record is written early and a busy
 * milestone can push it out of the last 100.
 */
export const SNAPSHOT_QUERY = `
query ArchitectSnapshot($owner: String!, $name: String!, $number: Int!, $runningQuery: String!) {
  repository(owner: $owner, name: $name) {
    id
    defaultBranchRef { name target { oid } }
    labels(first: 100, query: "${ARCHITECT_LABEL_QUERY}") { ${LABELS_PAGE} }
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue {
        ${ISSUE_FIELDS}
        ${EDIT_FIELDS}
        labels(first: 50) { nodes { name } }
        firstComments: comments(first: 10) { nodes { ${COMMENT_FIELDS} } }
        comments(last: 100) { nodes { ${COMMENT_FIELDS} } }
        subIssues(first: 100) {
          nodes {
            ${ISSUE_FIELDS}
            labels(first: 30) { nodes { name } }
            blockedBy(first: 50) { nodes { number } }
          }
        }
      }
    }
    refs(refPrefix: "${CLAIM_REF_PREFIX}", first: 100) { ${CLAIM_REFS_PAGE} }
  }
  search(type: ISSUE, query: $runningQuery) { issueCount }
}`;

/** An issue and its first 100 comments (oldest first), for planning and commands. */
export const ISSUE_WITH_COMMENTS_QUERY = `
query ArchitectIssueWithComments($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue {
        ${ISSUE_FIELDS}
        ${EDIT_FIELDS}
        labels(first: 50) { nodes { name } }
        comments(first: 100) { nodes { ${COMMENT_FIELDS} } }
      }
    }
  }
}`;

/** The parent of a task issue (the milestone it belongs to). */
export const FIND_PARENT_QUERY = `
query ArchitectFindParent($owner: String!, $name: String!, $number: Int!) {
  repository(owner: $owner, name: $name) {
    issueOrPullRequest(number: $number) {
      __typename
      ... on Issue { parent { number } }
    }
  }
}`;

/** The repository node id, for mutations that need it when no snapshot was loaded. */
export const REPO_ID_QUERY = `
query ArchitectRepoId($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { id }
}`;

/**
 * Planner context in one request: root tree with one level of subdirectories, the README
 * (two common spellings), and label names.
 */
export const REPO_CONTEXT_QUERY = `
query ArchitectRepoContext($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
    defaultBranchRef { name }
    labels(first: 100) { nodes { name } }
    tree: object(expression: "HEAD:") {
      ... on Tree {
        entries {
          name type
          object { ... on Tree { entries { name type } } }
        }
      }
    }
    readme: object(expression: "HEAD:README.md") { ... on Blob { text } }
    readmeLower: object(expression: "HEAD:readme.md") { ... on Blob { text } }
  }
}`;

/** How many aliased mutations share one document (keeps each request small and fast). */
export const MUTATIONS_PER_DOCUMENT = 10;

/** One aliased mutation: `alias: field(input: $alias) { selection }`. */
export interface AliasedMutation {
  alias: string;
  field: string;
  inputType: string;
  input: Record<string, unknown>;
  selection: string;
}

/**
 * Build one mutation document from aliased mutations, with every input passed as a
 * variable (never spliced into the text), so issue titles and bodies need no escaping.
 */
export function buildMutationDocument(name: string, mutations: AliasedMutation[]): {
  query: string;
  variables: Record<string, unknown>;
} {
  const params = mutations.map((m) => `$${m.alias}: ${m.inputType}!`).join(", ");
  const fields = mutations.map((m) => `  ${m.alias}: ${m.field}(input: $${m.alias}) { ${m.selection} }`).join("\n");
  const variables = Object.fromEntries(mutations.map((m) => [m.alias, m.input]));
  return { query: `mutation ${name}(${params}) {\n${fields}\n}`, variables };
}

/** Selection for each mutation field the gateway uses (what comes back is what we check). */
export const MUTATION_SELECTIONS = {
  createLabel: "label { id name }",
  createRef: "ref { id name }",
  createIssue: "issue { id databaseId number }",
  addBlockedBy: "issue { id }",
  addLabelsToLabelable: "clientMutationId",
  removeLabelsFromLabelable: "clientMutationId",
  updateIssue: "issue { id }",
  closeIssue: "issue { id }",
  createCheckRun: "checkRun { id }",
  updateCheckRun: "checkRun { id }",
  mergePullRequest: "pullRequest { id merged mergeCommit { oid } }",
  enablePullRequestAutoMerge: "pullRequest { id }",
  enqueuePullRequest: "mergeQueueEntry { id }",
  updateIssueComment: "issueComment { id }",
  addComment: "commentEdge { node { id } }",
} as const;

/** The GraphQL input type name of each mutation field. */
export const MUTATION_INPUT_TYPES: Record<keyof typeof MUTATION_SELECTIONS, string> = {
  createLabel: "CreateLabelInput",
  createRef: "CreateRefInput",
  createIssue: "CreateIssueInput",
  addBlockedBy: "AddBlockedByInput",
  addLabelsToLabelable: "AddLabelsToLabelableInput",
  removeLabelsFromLabelable: "RemoveLabelsFromLabelableInput",
  updateIssue: "UpdateIssueInput",
  closeIssue: "CloseIssueInput",
  createCheckRun: "CreateCheckRunInput",
  updateCheckRun: "UpdateCheckRunInput",
  mergePullRequest: "MergePullRequestInput",
  enablePullRequestAutoMerge: "EnablePullRequestAutoMergeInput",
  enqueuePullRequest: "EnqueuePullRequestInput",
  updateIssueComment: "UpdateIssueCommentInput",
  addComment: "AddCommentInput",
};

/** Shorthand: an aliased mutation of a known field with its standard selection. */
export function mutation(
  alias: string,
  field: keyof typeof MUTATION_SELECTIONS,
  input: Record<string, unknown>,
): AliasedMutation {
  return { alias, field, inputType: MUTATION_INPUT_TYPES[field], input, selection: MUTATION_SELECTIONS[field] };
}

/** The search string counting open running tasks across the repository. */
export function runningSearchQuery(owner: string, repo: string, runningLabel: string): string {
  return `repo:${owner}/${repo} is:issue is:open label:"${runningLabel}"`;
}
