// Builds dist/ once so tests that spawn the real `gatewarden` binary or the Functions Framework run current code.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
