// The fault-tolerance settings read from the environment: the per-project API rate and the delivery-attempt bound.

import { describe, expect, test } from 'vitest';
import { EnvironmentError, readEnvironment } from '../../src/config/environment.js';

const BASE = { GOOGLE_CLOUD_PROJECT: 'acme-sec' };

describe('GATEWARDEN_API_RATE_LIMIT and GATEWARDEN_MAX_DELIVERY_ATTEMPTS', () => {
  test.each([
    { name: 'defaults: 20 requests/s, attempts unbounded', env: {}, rate: 20, attempts: undefined },
    { name: 'a plain number', env: { GATEWARDEN_API_RATE_LIMIT: '50' }, rate: 50, attempts: undefined },
    {
      name: 'per second spelt out',
      env: { GATEWARDEN_API_RATE_LIMIT: '2.5/s' },
      rate: 2.5,
      attempts: undefined,
    },
    {
      name: 'the limit switched off',
      env: { GATEWARDEN_API_RATE_LIMIT: 'off' },
      rate: undefined,
      attempts: undefined,
    },
    { name: 'an attempt bound', env: { GATEWARDEN_MAX_DELIVERY_ATTEMPTS: '5' }, rate: 20, attempts: 5 },
  ])('$name', ({ env, rate, attempts }) => {
    const environment = readEnvironment({ ...BASE, ...env });
    expect(environment.apiRatePerSecond).toBe(rate);
    expect(environment.maxDeliveryAttempts).toBe(attempts);
  });

  test.each([
    { variable: 'GATEWARDEN_API_RATE_LIMIT', value: '0' },
    { variable: 'GATEWARDEN_API_RATE_LIMIT', value: '20/min' },
    { variable: 'GATEWARDEN_API_RATE_LIMIT', value: '-3' },
    { variable: 'GATEWARDEN_MAX_DELIVERY_ATTEMPTS', value: '0' },
    { variable: 'GATEWARDEN_MAX_DELIVERY_ATTEMPTS', value: 'three' },
  ])('$variable=$value is refused, naming the variable', ({ variable, value }) => {
    let caught: unknown;
    try {
      readEnvironment({ ...BASE, [variable]: value });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EnvironmentError);
    expect((caught as EnvironmentError).variable).toBe(variable);
  });
});
