// Project IDs as every entry point accepts them: an ID or a project number, nothing a path could be built from.

import { describe, expect, test } from 'vitest';
import { isProjectId } from '../../src/domain/resource-name.js';

describe('isProjectId', () => {
  // 6 and 30 characters are the bounds.
  test.each(['acme-edge', 'a12345', 'acme-edge-production-eu-west1x', '314159265358'])(
    'accepts %j',
    (text) => {
      expect(isProjectId(text)).toBe(true);
    },
  );

  test.each([
    ['too short', 'acme'],
    ['too long', 'acme-edge-production-eu-west1xy'],
    ['a capital', 'Acme-edge'],
    ['a leading digit and letters', '1acme-edge'],
    ['a trailing hyphen', 'acme-edge-'],
    ['a path', '../etc'],
    ['a name with a slash', 'acme-edge/x'],
    ['a number too long', '123456789012345678901'],
    ['empty', ''],
  ])('refuses %s', (_name, text) => {
    expect(isProjectId(text)).toBe(false);
  });
});
