// Builds dist/ once so tests that spawn the real `gatewarden` binary or the Functions Framework run current code.
// Type errors do not stop the build (tsc still emits; `npm run typecheck` is where they fail CI).
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(
      `test setup: tsc reported errors; dist/ was still emitted\n${build.stdout.slice(0, 2000)}\n`,
    );
  }
}
