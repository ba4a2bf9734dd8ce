// The not-applicable verdicts of backend rules for a service that is not in front of what the rule is about.

import { describe, notApplicable, notApplicableLater } from '../define-rule.js';

/** A service that holds no serverless NEG is not fronting (RULES.md): every backend rule leaves it alone. */
export const HOLDS_NO_SERVERLESS_NEG = notApplicableLater<'backendService'>((service) =>
  notApplicable(`${describe(service)} holds no serverless NEG.`),
);

/** For the rules about API Gateway NEGs only. */
export const HOLDS_NO_API_GATEWAY_NEG = notApplicableLater<'backendService'>((service) =>
  notApplicable(`${describe(service)} holds no API Gateway NEG.`),
);
