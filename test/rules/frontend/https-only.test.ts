import { frontendHttpsOnly } from '../../../src/rules/frontend/https-only.js';
import { forwardingRule, fullName, urlMap } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';
import { apiLoadBalancer, HTTP_RULE, HTTPS_RULE, REDIRECT_MAP, withHttpFrontend } from './fixtures.js';

testRule(frontendHttpsOnly, [
  {
    name: 'an HTTP forwarding rule whose URL map routes to a service fronting gateways by URL mask',
    records: withHttpFrontend(apiLoadBalancer({ mask: true }), urlMap('api-map', 'apigw-bs')),
    resource: HTTP_RULE,
    expected: [
      { status: 'fail', evidence: { backendServices: [fullName('global/backendServices/apigw-bs')] } },
    ],
  },
  {
    name: 'the HTTPS forwarding rule of the API',
    records: apiLoadBalancer(),
    resource: HTTPS_RULE,
    expected: [
      { status: 'pass', evidence: { backendServices: [fullName('global/backendServices/apigw-bs')] } },
    ],
  },
  {
    name: 'an HTTP forwarding rule whose URL map routes to the API',
    records: withHttpFrontend(apiLoadBalancer(), urlMap('api-map', 'apigw-bs')),
    resource: HTTP_RULE,
    expected: [
      {
        status: 'fail',
        severity: 'MEDIUM',
        evidence: {
          proxy: fullName('global/targetHttpProxies/api-http'),
          urlMap: fullName('global/urlMaps/api-map'),
          backendServices: [fullName('global/backendServices/apigw-bs')],
          httpsRedirect: false,
        },
      },
    ],
  },
  {
    name: 'plain HTTP reaching the API only through a path rule',
    records: withHttpFrontend(
      apiLoadBalancer(),
      urlMap(
        'mixed-map',
        'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/static-bs',
        {
          hostRules: [{ hosts: ['*'], pathMatcher: 'api' }],
          pathMatchers: [
            {
              name: 'api',
              defaultService:
                'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/static-bs',
              pathRules: [
                {
                  paths: ['/v1/*'],
                  service:
                    'https://www.googleapis.com/compute/v1/projects/acme-edge/global/backendServices/apigw-bs',
                },
              ],
            },
          ],
        },
      ),
    ),
    resource: HTTP_RULE,
    expected: 'fail',
  },
  {
    name: 'the HTTP half redirects to HTTPS on the same address',
    records: withHttpFrontend(apiLoadBalancer(), REDIRECT_MAP),
    resource: HTTP_RULE,
    expected: [{ status: 'pass', evidence: { httpsRedirect: true, httpsForwardingRule: HTTPS_RULE } }],
  },
  {
    name: 'a redirect on another address belongs to another load balancer',
    records: withHttpFrontend(apiLoadBalancer(), REDIRECT_MAP, '34.120.99.99'),
    resource: HTTP_RULE,
    expected: 'not-applicable',
  },
  {
    name: 'a load balancer whose backend service holds no serverless NEG',
    records: withHttpFrontend(apiLoadBalancer({ fronting: false }), urlMap('api-map', 'apigw-bs')),
    resource: HTTP_RULE,
    expected: 'not-applicable',
  },
  {
    name: 'a forwarding rule targeting something other than an HTTP(S) proxy',
    records: {
      ...apiLoadBalancer(),
      forwardingRule: [forwardingRule('api-https-fr', 'global/targetSslProxies/tcp-proxy')],
    },
    resource: HTTPS_RULE,
    expected: 'not-applicable',
  },
]);
