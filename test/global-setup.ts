// Builds dist/ once so tests that spawn the real `gatewarden` binary or the Functions Framework run current code,
// as `npm run build` does: tsc, then the CLI's bundle (scripts/bundle-cli.ts). Type errors do not stop
// the build (tsc still emits; `npm run typecheck` is where they fail CI); a bundle that cannot be made does.
import { spawnSync } from 'node:child_process';

export default function setup(): void {
  const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { encoding: 'utf8' });
  if (build.status !== 0) {
    process.stderr.write(
      `test setup: tsc reported errors; dist/ was still emitted\n${build.stdout.slice(0, 2000)}\n`,
    );
  }
  const bundle = spawnSync(process.execPath, ['scripts/bundle-cli.ts'], { encoding: 'utf8' });
  if (bundle.status !== 0) {
    throw new Error(`test setup: the CLI could not be bundled\n${bundle.stderr.slice(0, 2000)}`);
  }
}
