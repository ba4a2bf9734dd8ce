import type { Backend, NetworkEndpointGroup } from '../../../src/domain/resources.js';
import { backendGatewaysSameProject } from '../../../src/rules/backend/gateways-same-project.js';
import {
  apiGatewayNeg,
  backendService,
  cloudRunNeg,
  fullName,
  maskNeg,
  negBackend,
  PROJECT_NUMBER,
} from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';

const SERVICE = fullName('global/backendServices/apigw-bs');
const OWN_NEG = fullName('regions/us-central1/networkEndpointGroups/orders-neg-usc1');
const FOREIGN_NEG = fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2', 'acme-api');

/** apigw-bs in acme-edge holding orders-neg-usc1 (acme-edge) and, when given, a NEG of another project. */
function serviceHolding(...extra: { neg: NetworkEndpointGroup; backend: Backend }[]) {
  return {
    networkEndpointGroup: [
      apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw'),
      ...extra.map((e) => e.neg),
    ],
    backendService: [
      backendService('apigw-bs', {
        backends: [negBackend('orders-neg-usc1', 'us-central1'), ...extra.map((e) => e.backend)],
      }),
    ],
  };
}

testRule(backendGatewaysSameProject, [
  {
    name: "every API Gateway NEG is in the service's project",
    records: serviceHolding({
      neg: maskNeg('apis-mask-euw2', 'europe-west2', '<gateway>.api.acme.example'),
      backend: negBackend('apis-mask-euw2', 'europe-west2'),
    }),
    resource: SERVICE,
    expected: [
      {
        status: 'pass',
        evidence: {
          negs: [OWN_NEG, fullName('regions/europe-west2/networkEndpointGroups/apis-mask-euw2')],
          serviceProject: 'acme-edge',
        },
      },
    ],
  },
  {
    name: "a NEG of another project: its gateways are not in the load balancer's project",
    records: serviceHolding({
      neg: apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw', {}, 'acme-api'),
      backend: negBackend('orders-neg-euw2', 'europe-west2', {}, 'acme-api'),
    }),
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        subKey: FOREIGN_NEG,
        message: /apigw-bs.*orders-neg-euw2.*project acme-api.*load balancer's project acme-edge/,
        evidence: { neg: FOREIGN_NEG, negProject: 'acme-api', serviceProject: 'acme-edge' },
      },
    ],
  },
  {
    name: 'a mask NEG of another project fails the same way',
    records: serviceHolding({
      neg: maskNeg('apis-mask-euw2', 'europe-west2', '<gateway>.api.acme.example', {}, 'acme-api'),
      backend: negBackend('apis-mask-euw2', 'europe-west2', {}, 'acme-api'),
    }),
    resource: SERVICE,
    expected: [
      {
        status: 'fail',
        subKey: fullName('regions/europe-west2/networkEndpointGroups/apis-mask-euw2', 'acme-api'),
      },
    ],
  },
  {
    name: "a NEG whose selfLink uses the project number of the service's project",
    records: {
      ...serviceHolding({
        neg: apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw', {}, PROJECT_NUMBER),
        backend: negBackend('orders-neg-euw2', 'europe-west2', {}, PROJECT_NUMBER),
      }),
      projectIds: { [PROJECT_NUMBER]: 'acme-edge' },
    },
    resource: SERVICE,
    expected: [
      {
        status: 'pass',
        evidence: { negs: [OWN_NEG, fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2')] },
      },
    ],
  },
  {
    name: 'a NEG whose selfLink uses a project number nothing maps to an ID: cannot tell',
    records: serviceHolding({
      neg: apiGatewayNeg('orders-neg-euw2', 'europe-west2', 'orders-gw', {}, PROJECT_NUMBER),
      backend: negBackend('orders-neg-euw2', 'europe-west2', {}, PROJECT_NUMBER),
    }),
    resource: SERVICE,
    expected: [
      {
        status: 'error',
        subKey: fullName('regions/europe-west2/networkEndpointGroups/orders-neg-euw2', PROJECT_NUMBER),
        evidence: { negProject: PROJECT_NUMBER, serviceProject: 'acme-edge' },
      },
    ],
  },
  {
    name: 'a Cloud Run NEG of another project is not an API Gateway NEG',
    records: {
      networkEndpointGroup: [cloudRunNeg('run-neg', 'us-central1', 'orders', 'acme-api')],
      backendService: [
        backendService('apigw-bs', { backends: [negBackend('run-neg', 'us-central1', {}, 'acme-api')] }),
      ],
    },
    resource: SERVICE,
    expected: 'not-applicable',
  },
  {
    name: 'a regional backend service in another project holding its own NEG',
    records: {
      networkEndpointGroup: [apiGatewayNeg('orders-neg-usc1', 'us-central1', 'orders-gw', {}, 'acme-api')],
      backendService: [
        backendService(
          'apigw-bs',
          { backends: [negBackend('orders-neg-usc1', 'us-central1', {}, 'acme-api')] },
          { project: 'acme-api', region: 'us-central1' },
        ),
      ],
    },
    resource: fullName('regions/us-central1/backendServices/apigw-bs', 'acme-api'),
    expected: 'pass',
  },
]);
