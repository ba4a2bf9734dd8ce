// Gatewarden's version, read once from package.json: SARIF `tool.driver.version` and the probe's User-Agent.

import packageJson from '../package.json' with { type: 'json' };

export const GATEWARDEN_VERSION: string = packageJson.version;
