import * as pulumi from '@pulumi/pulumi';
import { validateKesAzureIdentityArgs } from '../../lib/azure';

const NOW = new Date('2025-06-15T08:00:00Z');
const slotA = { name: 'a', startDate: '2025-06-01' };
const newVault = { resourceGroupName: 'rg-minio', vaultName: 'kv-minio-new' };

function messages(tags: unknown): string[] {
  return validateKesAzureIdentityArgs({ newVault: { ...newVault, tags }, clientSecrets: [slotA] }, NOW).map(
    (p) => `${p.path}: ${p.message}`,
  );
}

describe('KesAzureIdentity newVault.tags (Azure tag limits)', () => {
  test('accepts string tags and Outputs', () => {
    expect(messages({ team: 'storage', cost: pulumi.output('cc-1') })).toEqual([]);
    expect(messages(pulumi.output({ team: 'storage' }))).toEqual([]);
    expect(messages(undefined)).toEqual([]);
  });

  test.each([
    ['null', null, 'newVault.tags: null must be an object of tag names to string values'],
    ['a number', 5, 'newVault.tags: 5 must be an object of tag names to string values'],
    ['a BigInt', 5n, 'newVault.tags: 5n must be an object of tag names to string values'],
    ['a Date', new Date(0), 'newVault.tags: a Date must be an object of tag names to string values'],
    ['a long string', 'x'.repeat(100_000), 'newVault.tags: a string must be an object of tag names to string values'],
  ])('fails when tags is %s', (_what, tags, line) => {
    expect(messages(tags)).toEqual([line]);
  });

  test('fails when a tag value is a symbol or a number, without showing values', () => {
    expect(messages({ a: Symbol('s'), b: 5 })).toEqual([
      'newVault.tags["a"]: a symbol must be a string (a tag value)',
      'newVault.tags["b"]: 5 must be a string (a tag value)',
    ]);
  });

  test('fails when tags break the Azure limits (50 tags, 512-character names, 256-character values)', () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_v, i) => [`t${i}`, 'v']));
    expect(messages(many)).toEqual(['newVault.tags: has 51 tags: Azure allows at most 50 per resource']);
    expect(messages({ ['n'.repeat(513)]: 'v', 'a/b': 'v', ok: 'v'.repeat(257) })).toEqual([
      `newVault.tags["${'n'.repeat(40)}"... (513 characters)]: tag name must be 1 to 512 characters`,
      'newVault.tags["a/b"]: tag name must not contain <, >, %, &, \\, ? or / (Azure tag rules)',
      'newVault.tags["ok"]: a tag value of 257 characters (not shown) is longer than the 256 Azure allows',
    ]);
  });
});
