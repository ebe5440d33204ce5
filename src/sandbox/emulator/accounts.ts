import type { App, Installation, Repo, TokenGrant, User } from "./model.js";
import type { World } from "./state.js";
import { generateKeyPairSync, randomBytes } from "node:crypto";

/** Users, GitHub Apps, their installations and the tokens they act with. Mixed into `World`. */
export class AccountsModel {
  /** The user with this login, created on first use. */
  ensureUser(this: World, login: string, type: User["type"] = "User"): User {
    const existing = this.users.get(login.toLowerCase());
    if (existing) return existing;
    const user: User = { ...this.newIds(type === "Bot" ? "Bot" : "User"), login, type };
    this.users.set(login.toLowerCase(), user);
    this.register({ type: type === "Bot" ? "Bot" : "User", ref: user });
    return user;
  }

  getUser(this: World, login: string): User | null {
    return this.users.get(login.toLowerCase()) ?? null;
  }

  /** Register a GitHub App with a fresh RSA key pair and its `<slug>[bot]` user. */
  createApp(this: World, options: {
    slug: string;
    name?: string;
    owner?: string;
    webhookUrl?: string | null;
    webhookSecret?: string | null;
    permissions?: Record<string, string>;
    events?: string[];
  }): App {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    const app: App = {
      ...this.newIds("App"),
      slug: options.slug,
      name: options.name ?? options.slug,
      owner: this.ensureUser(options.owner ?? "sandbox-org", "Organization"),
      botUser: this.ensureUser(`${options.slug}[bot]`, "Bot"),
      privateKeyPem: privateKey,
      publicKeyPem: publicKey,
      webhookUrl: options.webhookUrl ?? null,
      webhookSecret: options.webhookSecret ?? null,
      permissions: options.permissions ?? {
        issues: "write",
        pull_requests: "write",
        contents: "write",
        checks: "write",
        actions: "write",
        metadata: "read",
      },
      events: options.events ?? [],
      createdAt: this.clock.now(),
    };
    this.apps.set(app.id, app);
    this.register({ type: "App", ref: app });
    return app;
  }

  /** Install an App on an account for the given repositories. */
  installApp(this: World, app: App, account: User, repos: Repo[]): Installation {
    const installation: Installation = {
      ...this.newIds("Installation"),
      app,
      account,
      repositorySelection: "selected",
      repos: [...repos],
      createdAt: this.clock.now(),
    };
    this.installations.set(installation.id, installation);
    this.register({ type: "Installation", ref: installation });
    return installation;
  }

  /** The installation of `app` that covers `repo`, if any. */
  installationFor(this: World, app: App, repo: Repo): Installation | null {
    for (const installation of this.installations.values()) {
      if (installation.app === app && installation.repos.includes(repo)) return installation;
    }
    return null;
  }

  /** Mint an installation access token (valid one hour, as on GitHub). */
  createInstallationToken(this: World, installation: Installation, ttlMs = 3_600_000, nowMs = this.clock.now()): { token: string; expiresAt: number } {
    const token = `ghs_${randomBytes(18).toString("base64url")}`;
    const expiresAt = nowMs + ttlMs;
    this.tokens.set(token, { kind: "installation", installation, expiresAt });
    return { token, expiresAt };
  }

  /** A personal token for a scripted human (or bot) actor. */
  createUserToken(this: World, login: string): string {
    const user = this.ensureUser(login);
    const token = `ghp_${randomBytes(18).toString("base64url")}`;
    this.tokens.set(token, { kind: "user", user });
    return token;
  }

  /**
   * The grant behind a token, or null when unknown or expired. Pass the same time base the
   * token was minted with (the server uses wall-clock time, see auth.ts).
   */
  resolveToken(this: World, token: string, nowMs = this.clock.now()): TokenGrant | null {
    const grant = this.tokens.get(token);
    if (!grant) return null;
    if (grant.kind === "installation" && grant.expiresAt <= nowMs) return null;
    return grant;
  }

  /** The user a grant acts as (`<slug>[bot]` for installations). */
  actorOf(this: World, grant: TokenGrant): User {
    return grant.kind === "installation" ? grant.installation.app.botUser : grant.user;
  }
}
