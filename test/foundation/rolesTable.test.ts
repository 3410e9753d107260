import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rolesTable } from '../../src/application/rolesTable.js';

describe("the README's roles table", () => {
  it('is the one the policy tables give (npm run roles-table writes it)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const m = /<!-- roles:start -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(readme);
    expect(m, 'README.md has the <!-- roles:start --> … <!-- roles:end --> section').not.toBeNull();
    expect(m![1]).toBe(rolesTable());
  });
});
