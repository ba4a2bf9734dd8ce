import { frontendModernTls } from '../../../src/rules/frontend/modern-tls.js';
import { fullName, sslPolicy, urlMap } from '../../support/records.js';
import { testRule } from '../../support/rule-tester.js';
import { apiLoadBalancer, HTTP_RULE, HTTPS_RULE, SSL_POLICY_LINK, withHttpFrontend } from './fixtures.js';

const WITH_POLICY = apiLoadBalancer({ proxy: { sslPolicy: SSL_POLICY_LINK } });

testRule(frontendModernTls, [
  {
    name: 'an SSL policy with a TLS 1.2 floor',
    records: { ...WITH_POLICY, sslPolicy: [sslPolicy('api-tls', 'TLS_1_2')] },
    resource: HTTPS_RULE,
    expected: [
      {
        status: 'pass',
        message: /^target HTTPS proxy \S+ \(.+\) requires TLS_1_2 or later\.$/,
        evidence: { sslPolicy: fullName('global/sslPolicies/api-tls'), minTlsVersion: 'TLS_1_2' },
      },
    ],
  },
  {
    name: 'no SSL policy: the Google default accepts TLS 1.0',
    records: apiLoadBalancer(),
    resource: HTTPS_RULE,
    expected: [
      { status: 'fail', severity: 'MEDIUM', evidence: { sslPolicy: null, minTlsVersion: 'TLS_1_0' } },
    ],
  },
  {
    name: 'an SSL policy still accepting TLS 1.1',
    records: { ...WITH_POLICY, sslPolicy: [sslPolicy('api-tls', 'TLS_1_1')] },
    resource: HTTPS_RULE,
    expected: [{ status: 'fail', evidence: { minTlsVersion: 'TLS_1_1' }, message: /api-tls.*TLS_1_1/ }],
  },
  {
    name: 'an SSL policy accepting TLS 1.0',
    records: { ...WITH_POLICY, sslPolicy: [sslPolicy('api-tls', 'TLS_1_0')] },
    resource: HTTPS_RULE,
    expected: 'fail',
  },
  {
    name: 'the SSL policy is not in the inventory: undetermined, never a pass (an open finding stays open)',
    records: WITH_POLICY,
    resource: HTTPS_RULE,
    expected: [
      {
        status: 'error',
        evidence: { sslPolicy: SSL_POLICY_LINK },
        message: new RegExp(
          `^SSL policy ${escapeRegExp(SSL_POLICY_LINK)} of target HTTPS proxy \\S+ \\(.+\\) is not in the inventory, so its TLS floor is unknown\\.$`,
        ),
      },
    ],
  },
  {
    name: 'a plain HTTP forwarding rule is judged by frontend.https-only instead',
    records: withHttpFrontend(apiLoadBalancer(), urlMap('api-map', 'apigw-bs')),
    resource: HTTP_RULE,
    expected: 'not-applicable',
  },
  {
    name: 'a load balancer whose backend service holds no serverless NEG',
    records: apiLoadBalancer({ fronting: false }),
    resource: HTTPS_RULE,
    expected: 'not-applicable',
  },
]);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
