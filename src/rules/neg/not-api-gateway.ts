// The not-applicable verdict of the NEG rules about gateways, for a NEG that is not an API Gateway NEG.

import { describe, notApplicable, notApplicableLater } from '../define-rule.js';

export const NOT_AN_API_GATEWAY_NEG = notApplicableLater<'networkEndpointGroup'>((neg) =>
  notApplicable(`${describe(neg)} is not an API Gateway NEG.`),
);
