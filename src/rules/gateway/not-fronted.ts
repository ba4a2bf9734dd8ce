// The not-applicable verdict of the gateway rules, for a gateway no fronting backend service reaches (RULES.md).

import { describe, notApplicable, notApplicableLater } from '../define-rule.js';

export const NOT_FRONTED = notApplicableLater<'gateway'>((gateway) =>
  notApplicable(`${describe(gateway)} is not fronted by a load balancer backend service.`),
);
