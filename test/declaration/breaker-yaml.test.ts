import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { stringify } from 'yaml';
import { seedDeclaration } from '../../examples/seed';
import { MinioSseCharts, MinioSseDeclaration, OperatorRelease, validateDeclaration } from '../../lib';
import { checkYamlScalar } from '../../lib/declaration/rules';
import { FieldKind, display } from '../../lib/declaration/problems';
import { fixtureCrds } from '../support/fixtures';
import { kubectlDecode, kubectlParity } from '../support/kubectl-parity';

const RULE =
  'would be written unquoted and read as a number, boolean or null by YAML 1.1 readers such as kubectl (go-yaml); choose another value';

function withAnnotations(podAnnotations: Record<string, string>): MinioSseDeclaration {
  const seed = seedDeclaration({ release: OperatorRelease.V7_1_1 });
  return { ...seed, kes: { ...seed.kes, podAnnotations } } as MinioSseDeclaration;
}

/** What kubectl (sigs.k8s.io/yaml over go-yaml v2) reads for each value written as the `yaml` package writes it. */
function kubectlReads(values: readonly string[]): unknown[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'breaker-yaml-'));
  const file = path.join(dir, 'cm.yaml');
  const data = Object.fromEntries(values.map((v, i) => [`k${i}`, v]));
  fs.writeFileSync(
    file,
    stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data }, { version: '1.1', lineWidth: 0 }),
  );
  try {
    const [cm] = kubectlDecode(file);
    return values.map((_v, i) => cm.data[`k${i}`]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// go-yaml v2 removes every "_" before ParseInt / yamlStyleFloat (gopkg.in/yaml.v2 resolve.go, tag v2.4.0:
// `plain := strings.Replace(in, "_", "", -1)`), so these plain scalars are numbers to kubectl.
const UNDERSCORE_NUMBERS = ['+_1', '1e1_0', '-_.5', '0_x1', '1e_1', '1e+_1', '2e6_', '0b+1', '0_b1'];
// ...and these stay strings: "_" first (no resolve hint), a "." float with a misplaced "_" (Go underscoreOK),
// go-yaml's "-0b" branch given a second sign, a bad hex digit, a Go hex float (not yamlStyleFloat).
const UNDERSCORE_STRINGS = ['_1', '._5', '.5_', '-0b-1', '0x_1g', '0x1p2', '1_a'];

describe('annotation values go-yaml v2 reads as numbers once "_" are removed', () => {
  test('kubectl reads every underscore number as a number and every underscore string as that string', () => {
    const read = kubectlReads([...UNDERSCORE_NUMBERS, ...UNDERSCORE_STRINGS]);
    expect(read.slice(0, UNDERSCORE_NUMBERS.length).map((v) => typeof v)).toEqual(
      UNDERSCORE_NUMBERS.map(() => 'number'),
    );
    expect(read.slice(UNDERSCORE_NUMBERS.length)).toEqual(UNDERSCORE_STRINGS);
  });

  test.each(UNDERSCORE_NUMBERS)('fails when a KES pod annotation value is %s', (value) => {
    expect(validateDeclaration(withAnnotations({ team: value }))).toEqual([
      {
        path: 'kes.podAnnotations["team"]',
        message: `${display(value, FieldKind.SECRET)} is not a valid annotation value: ${RULE}`,
      },
    ]);
  });

  test('checkYamlScalar agrees with kubectl on every value of both lists', () => {
    const read = kubectlReads([...UNDERSCORE_NUMBERS, ...UNDERSCORE_STRINGS]);
    [...UNDERSCORE_NUMBERS, ...UNDERSCORE_STRINGS].forEach((value, i) => {
      expect([value, checkYamlScalar(value) === undefined]).toEqual([value, typeof read[i] === 'string']);
    });
  });

  test('underscore strings are accepted and kubectl decodes the synthesized objects exactly', () => {
    const annotations = Object.fromEntries(UNDERSCORE_STRINGS.map((v, i) => [`example.com/a${i}`, v]));
    const charts = new MinioSseCharts(new App({ outdir: os.tmpdir() }), {
      declaration: withAnnotations(annotations),
      crds: fixtureCrds(),
    });
    expect(kubectlParity([charts.operatorChart, charts.tenantChart])).toEqual([]);
  });
});
