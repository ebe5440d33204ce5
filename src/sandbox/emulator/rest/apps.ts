import { GitHubApiError, notFound } from "../errors.js";
import type { Router } from "./router.js";

/** App-level routes (JWT) and the installation lookup for a repository. */
export function appRoutes(router: Router): void {
  router.add("GET", "/app", (ctx) => ({ status: 200, json: ctx.ser.app(ctx.app!) }), "jwt");

  router.add(
    "GET",
    "/app/installations",
    (ctx) => ({
      status: 200,
      json: [...ctx.world.installations.values()].filter((i) => i.app === ctx.app).map((i) => ctx.ser.installation(i)),
    }),
    "jwt",
  );

  router.add(
    "GET",
    "/app/installations/{installation_id}",
    (ctx) => {
      const installation = ctx.world.installations.get(Number(ctx.params.installation_id));
      if (!installation || installation.app !== ctx.app) throw notFound();
      return { status: 200, json: ctx.ser.installation(installation) };
    },
    "jwt",
  );

  router.add(
    "POST",
    "/app/installations/{installation_id}/access_tokens",
    (ctx) => {
      const installation = ctx.world.installations.get(Number(ctx.params.installation_id));
      if (!installation || installation.app !== ctx.app) throw notFound();
      // Expiry is wall-clock (see auth.ts): Octokit decides when to refresh by Date.now().
      const { token, expiresAt } = ctx.world.createInstallationToken(installation, 3_600_000, Date.now());
      return {
        status: 201,
        json: {
          token,
          expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z"),
          permissions: installation.app.permissions,
          repository_selection: installation.repositorySelection,
          repositories: installation.repos.map((r) => ctx.ser.repo(r)),
        },
      };
    },
    "jwt",
  );

  router.add(
    "GET",
    "/repos/{owner}/{repo}/installation",
    (ctx) => {
      const repo = ctx.world.requireRepo(ctx.params.owner!, ctx.params.repo!);
      const installation = ctx.world.installationFor(ctx.app!, repo);
      if (!installation) throw new GitHubApiError(404, "Not Found");
      return { status: 200, json: ctx.ser.installation(installation) };
    },
    "jwt",
  );

  router.add("GET", "/installation/repositories", (ctx) => {
    if (ctx.grant?.kind !== "installation") throw new GitHubApiError(403, "You must authenticate with an installation access token.");
    const repos = ctx.grant.installation.repos;
    return { status: 200, json: { total_count: repos.length, repository_selection: "selected", repositories: repos.map((r) => ctx.ser.repo(r)) } };
  });

  router.add("GET", "/users/{username}", (ctx) => {
    const user = ctx.world.getUser(ctx.params.username!);
    if (!user) throw notFound();
    return { status: 200, json: ctx.ser.user(user) };
  });
}
