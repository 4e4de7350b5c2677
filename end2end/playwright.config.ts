import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The server under test: the debug binary that `make test` built, on a fresh SQLite
// database with the demo data, on a port of its own.
const port = Number(process.env.TIENDO_E2E_PORT ?? 3310);
const baseURL = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "tiendo-e2e-"));
const binary = process.env.TIENDO_E2E_BINARY ?? "target/debug/tiendo";

export default defineConfig({
  testDir: "./tests",
  // Weak-link timings mean something only on the release's files (`make size`).
  testIgnore: process.env.TIENDO_E2E_SITE ? [] : ["**/weak-link.spec.ts"],
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], channel: undefined } },
    // A commune official's phone: 360 px wide.
    {
      name: "phone",
      use: { ...devices["Galaxy S9+"], viewport: { width: 360, height: 740 }, channel: undefined },
    },
  ],
  webServer: {
    command: `${binary} serve --demo --listen 127.0.0.1:${port} --secure-cookies false`,
    cwd: "..",
    url: `${baseURL}/healthz`,
    env: {
      TIENDO_DATABASE_URL: `sqlite://${dataDir}/tiendo.db`,
      TIENDO_LOG: "warn",
      // One reminder sweep at start: none in the middle of a journey that counts.
      TIENDO_SWEEP_EVERY: "86400",
      // `make size` serves the release's browser files instead of the debug build's.
      LEPTOS_SITE_ROOT: process.env.TIENDO_E2E_SITE ?? "target/site",
      // and links the style sheet under its hashed name (the hash file beside the binary).
      LEPTOS_HASH_FILES: process.env.LEPTOS_HASH_FILES ?? "false",
    },
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
  },
});
