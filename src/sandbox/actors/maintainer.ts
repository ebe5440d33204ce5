import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Issue, Repo, User, World } from "../emulator/state.js";

/**
 * The repository owner's side of a scenario: a repository with a protected default branch
 * and the agent workflow, a milestone issue, commands and labels — done through the world,
 * so each step emits the webhooks a person's clicks would.
 */

const MINIMAL_AGENT_WORKFLOW = `name: Architect agent
run-name: \${{ inputs.run_key }}
on:
  workflow_dispatch:
    inputs:
      task: { required: true, type: string }
      milestone: { required: true, type: string }
      branch: { required: true, type: string }
      base: { required: true, type: string }
      run_key: { required: true, type: string }
      agent: { required: true, type: string }
      attempt: { required: true, type: string }
      mode: { required: true, type: string }
jobs:
  agent:
    runs-on: ubuntu-latest
    steps:
      - run: echo "sandbox"
`;

/** The repository's real agent workflow when present, else a minimal equivalent. */
export function agentWorkflowText(): string {
  const path = fileURLToPath(new URL("../../../.github/workflows/architect-agent.yml", import.meta.url));
  return existsSync(path) ? readFileSync(path, "utf8") : MINIMAL_AGENT_WORKFLOW;
}

export interface RepoSetup {
  owner?: string;
  name?: string;
  /** Extra files on the default branch (path → content). */
  files?: Record<string, string>;
  /** Required check contexts (default `ci/test` and `architect/dag`). */
  requiredChecks?: string[];
  /** Required approving reviews (default 1). */
  requiredApprovals?: number;
  dismissStaleReviews?: boolean;
  /** Skip branch protection entirely (to test `/architect doctor`). */
  unprotected?: boolean;
  /** Protect the default branch with classic branch protection (default) or with a ruleset. */
  protection?: "classic" | "rulesets";
  /** Require branches to be up to date before merging (strict). */
  strict?: boolean;
  /** Require a merge queue (a ruleset's `merge_queue` rule; classic protection's REST API has no such field). */
  mergeQueue?: boolean;
  /** The human who owns the work (admin). */
  maintainer?: string;
}

/** Create the scenario repository: README, agent workflow, protection, maintainer as admin. */
export function setupRepo(world: World, setup: RepoSetup = {}): { repo: Repo; maintainer: User } {
  const repo = world.createRepo({
    owner: setup.owner ?? "acme",
    name: setup.name ?? "webshop",
    files: {
      "README.md": `# ${setup.name ?? "webshop"}\n\nA sandbox repository for Architect.\n`,
      ".github/workflows/architect-agent.yml": agentWorkflowText(),
      ...setup.files,
    },
  });
  const maintainer = world.setCollaborator(repo, setup.maintainer ?? "maintainer", "admin");
  const checks = setup.requiredChecks ?? ["ci/test", "architect/dag"];
  if (!setup.unprotected && setup.protection === "rulesets") {
    world.createRuleset(repo, {
      name: "protect default branch",
      include: ["~DEFAULT_BRANCH"],
      rules: [
        {
          type: "required_status_checks",
          parameters: { strict_required_status_checks_policy: setup.strict ?? false, required_status_checks: checks.map((context) => ({ context })) },
        },
        {
          type: "pull_request",
          parameters: {
            required_approving_review_count: setup.requiredApprovals ?? 1,
            dismiss_stale_reviews_on_push: setup.dismissStaleReviews ?? true,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
          },
        },
      ],
    });
  } else if (!setup.unprotected) {
    world.setBranchProtection(repo, repo.defaultBranch, {
      requiredStatusChecks: { strict: setup.strict ?? false, contexts: checks },
      requiredPullRequestReviews: {
        requiredApprovingReviewCount: setup.requiredApprovals ?? 1,
        dismissStaleReviews: setup.dismissStaleReviews ?? true,
        requireCodeOwnerReviews: false,
        requireLastPushApproval: false,
      },
      enforceAdmins: true,
    });
  }
  if (setup.mergeQueue) {
    world.createRuleset(repo, {
      name: "merge queue",
      include: ["~DEFAULT_BRANCH"],
      rules: [
        {
          type: "merge_queue",
          parameters: {
            check_response_timeout_minutes: 60,
            grouping_strategy: "ALLGREEN",
            max_entries_to_build: 5,
            max_entries_to_merge: 1,
            min_entries_to_merge: 1,
            min_entries_to_merge_wait_minutes: 0,
            merge_method: "MERGE",
          },
        },
      ],
    });
  }
  return { repo, maintainer };
}

/** Open the milestone issue as the maintainer. */
export function openMilestone(world: World, repo: Repo, input: { title: string; body: string; user?: User; labels?: string[] }): Issue {
  const user = input.user ?? world.getUser("maintainer") ?? world.setCollaborator(repo, "maintainer", "admin");
  return world.createIssue(repo, { title: input.title, body: input.body, labels: input.labels, user });
}

/** Comment on an issue as a person (e.g. `/architect plan`). */
export function comment(world: World, repo: Repo, issue: Issue, body: string, login = "maintainer") {
  return world.createComment(repo, issue, body, world.ensureUser(login));
}

/** Add labels as a person (e.g. `architect:hold`). */
export function label(world: World, repo: Repo, issue: Issue, names: string[], login = "maintainer") {
  return world.addLabels(repo, issue, names, world.ensureUser(login));
}
