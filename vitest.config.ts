import { defineConfig } from 'vitest/config';

/**
 * Tests that start emulators or child processes (the built `gatewarden` binary, the Functions Framework served as a
 * process, gcloud, terraform, openssl, mkfifo, Chromium) or need dist/ built: the `stack` project. Every other test
 * file is in `unit`, which runs fast and alone (`npm run test:unit`); test/support/test-projects.test.ts fails when a
 * unit test file reaches for an emulator or a child process, so a new one lands here.
 */
export const STACK_TESTS = [
  'test/adapters/files/input-file.test.ts',
  'test/adapters/firestore/firestore-stores.test.ts',
  'test/adapters/googleapis/scan-project.test.ts',
  'test/adapters/pubsub/alert-topic-sink.test.ts',
  'test/cli/baseline-approver-fifo.test.ts',
  'test/cli/e2e.test.ts',
  'test/cli/hostile-estate.test.ts',
  'test/cli/lazy-commands.test.ts',
  'test/cli/no-credentials.test.ts',
  'test/cli/heap-tuning.test.ts',
  'test/cli/large-scan-run.test.ts',
  'test/cli/terminal-and-output.test.ts',
  'test/doctor/doctor.test.ts',
  'test/drift-e2e/**/*.test.ts',
  'test/e2e/**/*.test.ts',
  'test/faults/**/*.test.ts',
  'test/functions/cold-start.test.ts',
  'test/functions/sweep-heap.test.ts',
  'test/package/action.test.ts',
  'test/package/closed-pipe.test.ts',
  'test/package/packed-package.test.ts',
  'test/ports/swept-scope-store.contract.test.ts',
  'test/probe/probe-gateways.test.ts',
  'test/probe/probe-session.test.ts',
  'test/report/chromium.test.ts',
  'test/routing/routes-local-stack.test.ts',
  'test/scc/scc-local-stack.test.ts',
  'test/simulator/audit-publishing.test.ts',
  'test/simulator/gcloud-client.test.ts',
  'test/simulator/gcloud-scc.test.ts',
  'test/simulator/gcloud-regional.test.ts',
  'test/sweep/org-sweep.test.ts',
  'test/sweep/sweep-matches-scan.test.ts',
  'test/terraform-plan/check-plan-cli.test.ts',
  'test/terraform-plan/hostile-plan.test.ts',
  'test/terraform-plan/units.test.ts',
  'test/terraform/**/*.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: STACK_TESTS },
      },
      {
        extends: true,
        // Builds dist/ once: the stack tests spawn the real binary and functions from it.
        test: { name: 'stack', include: STACK_TESTS, globalSetup: ['test/global-setup.ts'] },
      },
    ],
  },
});
