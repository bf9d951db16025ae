import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Test files spend much of their time waiting (queues, timers, sockets, the browser), so
    // more files run at once than there are cores (vitest's default is cores − 1).
    maxWorkers: 3,
    globalSetup: ["test/global-setup.ts"],
  },
});
