import { defineConfig, type UserConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources through the "@source"
// export condition, so tests never need a prebuild.
const conditions = ["@source", "module", "node", "development|production"];

/** The vitest configuration every package shares. */
export function packageConfig(overrides: UserConfig["test"] = {}): UserConfig {
  return defineConfig({
    resolve: { conditions },
    ssr: { resolve: { conditions, externalConditions: ["@source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      // The JSON report feeds scripts/test-summary.mjs, which prints one closing line for the whole repo.
      reporters: ["default", ["json", { outputFile: ".vitest-report.json" }]],
      ...overrides,
    },
  });
}
