import { defineConfig } from "vitest/config";

/**
 * Files whose guarantees depend on timing (the server stays responsive; a short lease is
 * renewed in time; a restarted server recovers within 30 s): they run alone, after the rest,
 * so the other files' load does not count against the guarantee.
 */
const runAlone = [
  "test/workflows/runaway-expressions.test.ts",
  "test/workflows/lease.test.ts",
  "test/crash-recovery.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["test/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: {
          name: "parallel",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: runAlone,
          // Test files spend much of their time waiting (queues, timers, sockets, the
          // browser), so more run at once than there are cores (vitest's default: cores − 1).
          maxWorkers: 3,
        },
      },
      {
        extends: true,
        test: {
          name: "alone",
          include: runAlone,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
