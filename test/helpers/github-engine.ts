// The engine in-process (real git, SQLite) with the fake GitHub, on a movable clock, over a repository
// whose breaker opens at the first failure and stays open an hour: how the GitHub integration tests see
// the incident issues and commit statuses a batch's outcome writes. Closed and removed after every test.
import { afterEach } from 'vitest';

import { openEngine, openGitHub } from '../../controller/app/index.js';
import type { Engine } from '../../controller/engine/index.js';
import { withPolicy } from './control-policy.js';
import { FAKE_TOKEN, fakeGitHub, type FakeGitHub } from './fake-github.js';
import { gitRepo, removeRepo, type TestRepo } from './git-repo.js';

export interface GitHubEngine<G extends FakeGitHub | null> {
  repo: TestRepo;
  engine: Engine;
  /** null: the engine runs without GitHub (no token) */
  github: G;
  /** move the engine's clock on */
  later(minutes: number): void;
}

export interface OpenGitHubEngine {
  (): Promise<GitHubEngine<FakeGitHub>>;
  (options: { withGitHub: boolean }): Promise<GitHubEngine<FakeGitHub | null>>;
}

const ENV = { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' } as const;

/** Call at the top of a test file. */
export function useGitHubEngines(): OpenGitHubEngine {
  const opened: Array<GitHubEngine<FakeGitHub | null>> = [];
  afterEach(async () => {
    for (const { repo, engine, github } of opened.splice(0)) {
      await engine.close();
      await github?.close();
      removeRepo(repo);
    }
  });
  const open = async ({ withGitHub = true }: { withGitHub?: boolean } = {}): Promise<GitHubEngine<FakeGitHub | null>> => {
    const repo = gitRepo({ 'r/a.txt': 'v1\n' });
    withPolicy(repo, (policy) => {
      policy.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10 };
    });
    const github = withGitHub ? await fakeGitHub() : null;
    const access = github
      ? openGitHub({
          ...ENV,
          GITHUB_TOKEN: FAKE_TOKEN,
          GITHUB_API_URL: github.url,
          GITHUB_REPOSITORY: 'acme/registry',
          BATCHCTL_GITHUB_WRITE_GAP_MS: 0,
        })
      : null;
    if (access && !access.on) throw new Error(access.why);
    const clock = { now: new Date('2026-11-23T10:00:00Z') };
    const engine = await openEngine({ repo: repo.dir, env: ENV, now: () => clock.now, ...(access?.on ? { github: access.port } : {}) });
    const later = (minutes: number): void => {
      clock.now = new Date(clock.now.getTime() + minutes * 60_000);
    };
    const made = { repo, engine, github, later };
    opened.push(made);
    return made;
  };
  return open as OpenGitHubEngine;
}
