// The backend rules, keyed by ID.

import type { Rule } from '../define-rule.js';
import { backendCdnRespectsAuth } from './cdn-respects-auth.js';
import { backendCloudArmorAttached } from './cloud-armor-attached.js';
import { backendGatewaysEquivalent } from './gateways-equivalent.js';
import { backendGatewaysSameProject } from './gateways-same-project.js';
import { backendHttpProtocol } from './http-protocol.js';
import { backendLoggingEnabled } from './logging-enabled.js';
import { backendNoBalancingMode } from './no-balancing-mode.js';
import { backendNoCapacityLimits } from './no-capacity-limits.js';
import { backendNoHealthChecks } from './no-health-checks.js';
import { backendNoIneffectiveSettings } from './no-ineffective-settings.js';
import { backendNoPort } from './no-port.js';
import { backendOneNegPerRegion } from './one-neg-per-region.js';
import { backendServerlessNotMixed } from './serverless-not-mixed.js';
import { backendSinglePlatform } from './single-platform.js';
import { backendSupportedScheme } from './supported-scheme.js';

export const BACKEND_RULES = {
  'backend.supported-scheme': backendSupportedScheme,
  'backend.serverless-not-mixed': backendServerlessNotMixed,
  'backend.single-platform': backendSinglePlatform,
  'backend.gateways-same-project': backendGatewaysSameProject,
  'backend.one-neg-per-region': backendOneNegPerRegion,
  'backend.no-health-checks': backendNoHealthChecks,
  'backend.no-balancing-mode': backendNoBalancingMode,
  'backend.no-capacity-limits': backendNoCapacityLimits,
  'backend.no-port': backendNoPort,
  'backend.http-protocol': backendHttpProtocol,
  'backend.no-ineffective-settings': backendNoIneffectiveSettings,
  'backend.gateways-equivalent': backendGatewaysEquivalent,
  'backend.cloud-armor-attached': backendCloudArmorAttached,
  'backend.logging-enabled': backendLoggingEnabled,
  'backend.cdn-respects-auth': backendCdnRespectsAuth,
} satisfies Record<string, Rule>;
