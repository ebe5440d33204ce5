import type { ArchitectConfig } from "../core/config/config-schema.js";
import type { BranchProtectionFacts } from "../core/decide/snapshot.js";

/** What is missing from the default branch's protection for Architect's gates to hold. */
export function protectionWarnings(branch: string, protection: BranchProtectionFacts | null, config: ArchitectConfig): string[] {
  if (!protection || !protection.enabled) {
    return [`\`${branch}\` is not protected: anyone can merge out of order. Require the \`architect/dag\` check and approving reviews.`];
  }
  const warnings: string[] = [];
  if (!protection.requiredChecks.includes("architect/dag")) {
    warnings.push(`\`architect/dag\` is not a required check on \`${branch}\`: a PR could be merged before its dependencies.`);
  }
  if (config.reviews.required_approvals > 0 && protection.requiredApprovals < 1) {
    warnings.push(`\`${branch}\` does not require approving reviews.`);
  }
  return warnings;
}
