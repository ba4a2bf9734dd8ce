import { describe, expect, test } from 'vitest';
import { consoleLinkOf } from '../../src/alerts/console-link.js';

const C = 'https://console.cloud.google.com';

describe('consoleLinkOf', () => {
  test.each([
    {
      name: 'global backend service: its details page',
      resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/orders-bs',
      link: `${C}/net-services/loadbalancing/backends/details/backendService/orders-bs?project=acme-edge`,
    },
    {
      name: 'regional backend service: the regional details page',
      resource: '//compute.googleapis.com/projects/acme-edge/regions/europe-west2/backendServices/billing-bs',
      link: `${C}/net-services/loadbalancing/backends/details/regionBackendService/europe-west2/billing-bs?project=acme-edge`,
    },
    {
      name: 'gateway: API Gateway page with its location',
      resource: '//apigateway.googleapis.com/projects/acme-edge/locations/us-central1/gateways/orders-gw',
      link: `${C}/api-gateway/gateway/orders-gw/location/us-central1?project=acme-edge`,
    },
    {
      name: 'API config: the page of its API',
      resource: '//apigateway.googleapis.com/projects/acme-edge/locations/global/apis/orders-api/configs/v7',
      link: `${C}/api-gateway/api/orders-api?project=acme-edge`,
    },
    {
      name: 'serverless NEG: its details page in its region',
      resource:
        '//compute.googleapis.com/projects/acme-edge/regions/us-central1/networkEndpointGroups/orders-neg',
      link: `${C}/compute/networkendpointgroups/details/us-central1/orders-neg?project=acme-edge`,
    },
    {
      name: 'URL map: the load balancer list',
      resource: '//compute.googleapis.com/projects/acme-edge/global/urlMaps/orders-lb',
      link: `${C}/net-services/loadbalancing/list/loadBalancers?project=acme-edge`,
    },
    {
      name: 'forwarding rule: the load balancer list',
      resource: '//compute.googleapis.com/projects/acme-edge/global/forwardingRules/orders-fr',
      link: `${C}/net-services/loadbalancing/list/loadBalancers?project=acme-edge`,
    },
    {
      name: 'SSL policy: its details page',
      resource: '//compute.googleapis.com/projects/acme-edge/global/sslPolicies/modern',
      link: `${C}/net-security/sslpolicies/details/modern?project=acme-edge`,
    },
    {
      name: 'Cloud Armor policy: its details page',
      resource: '//compute.googleapis.com/projects/acme-edge/global/securityPolicies/edge-armor',
      link: `${C}/net-security/securitypolicies/details/edge-armor?project=acme-edge`,
    },
    {
      name: 'hostile characters are percent-encoded, never ending a chat link early',
      resource: '//compute.googleapis.com/projects/acme-edge/global/backendServices/a|b>c&d',
      link: `${C}/net-services/loadbalancing/backends/details/backendService/a%7Cb%3Ec%26d?project=acme-edge`,
    },
    { name: 'an unparseable name has no link', resource: 'not a resource name', link: null },
    {
      name: 'a kind Gatewarden does not read has no link',
      resource: '//compute.googleapis.com/projects/acme-edge/global/healthChecks/hc',
      link: null,
    },
  ])('$name', ({ resource, link }) => {
    expect(consoleLinkOf(resource)).toBe(link);
  });
});
