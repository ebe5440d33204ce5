/** GitHub's published limits that the emulator enforces. */
export const LIMITS = {
  subIssuesPerParent: 100,
  subIssueLevels: 8,
  blockedByPerIssue: 50,
  dispatchInputs: 25,
} as const;
