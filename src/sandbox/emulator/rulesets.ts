import { validationFailed } from "./errors.js";
import type { Repo, Ruleset, RulesetRule } from "./model.js";
import type { World } from "./state.js";

/**
 * Repository rulesets (branch target): rules such as `required_status_checks`,
 * `pull_request` and `merge_queue` that apply to the branches their `ref_name` condition
 * matches (../shared/reference/github-platform.md §4). Mixed into `World`; what they
 * require together with classic protection is `branchRequirements` (protection.ts).
 */
export class RulesetsModel {
  /** `POST /repos/{o}/{r}/rulesets`. 422 without a name or with an unknown enforcement. */
  createRuleset(
    this: World,
    repo: Repo,
    input: { name: string; enforcement?: Ruleset["enforcement"]; include?: string[]; exclude?: string[]; rules?: RulesetRule[] },
  ): Ruleset {
    if (!input.name) throw validationFailed("name is missing", "Ruleset", "name", "missing_field");
    const enforcement = input.enforcement ?? "active";
    if (!["active", "disabled", "evaluate"].includes(enforcement)) throw validationFailed(`Invalid enforcement: ${enforcement}`, "Ruleset", "enforcement", "invalid");
    const ruleset: Ruleset = {
      ...this.newIds("RepositoryRuleset"),
      name: input.name,
      target: "branch",
      enforcement,
      include: input.include ?? ["~DEFAULT_BRANCH"],
      exclude: input.exclude ?? [],
      rules: input.rules ?? [],
    };
    repo.rulesets.push(ruleset);
    return ruleset;
  }

  /**
   * The rules of active rulesets that apply to `branch`, as `GET /rules/branches/{branch}`
   * lists them (one entry per rule, with the ruleset it comes from).
   */
  rulesForBranch(this: World, repo: Repo, branch: string): { rule: RulesetRule; ruleset: Ruleset }[] {
    const out: { rule: RulesetRule; ruleset: Ruleset }[] = [];
    for (const ruleset of repo.rulesets) {
      if (ruleset.enforcement !== "active") continue;
      const matches = (pattern: string) => refMatches(repo, pattern, branch);
      if (!ruleset.include.some(matches) || ruleset.exclude.some(matches)) continue;
      for (const rule of ruleset.rules) out.push({ rule, ruleset });
    }
    return out;
  }
}

/** `~ALL`, `~DEFAULT_BRANCH`, or `refs/heads/<pattern>` where `*` stays within a path segment and `**` does not. */
function refMatches(repo: Repo, pattern: string, branch: string): boolean {
  if (pattern === "~ALL") return true;
  if (pattern === "~DEFAULT_BRANCH") return branch === repo.defaultBranch;
  const glob = pattern.replace(/^refs\/heads\//, "");
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === "**" ? ".*" : part === "*" ? "[^/]*" : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(branch);
}
