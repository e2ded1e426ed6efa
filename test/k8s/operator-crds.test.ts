import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonPatch, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { CrdSchemaValidator, MinioSseCharts, OperatorRelease } from '../../lib';
import { CRD_FILES, OperatorCrds, OperatorCrdsKind, parseCrdYaml } from '../../lib/k8s/operator-crds';
import { seedDeclaration } from '../../examples/seed';
import { operatorFixturesDir } from '../support/fixtures';

const releases = OperatorRelease.all();

describe.each(releases.map((r) => [r.tag, r] as const))('CRD files of operator %s', (tag) => {
  test.each(Object.values(CRD_FILES))(
    '%s parses to the same objects with js-yaml (core schema) as with yaml',
    (file) => {
      const text = fs.readFileSync(path.join(operatorFixturesDir(), tag, file), 'utf8');
      const reference = parseAllDocuments(text)
        .map((d) => d.toJS())
        .filter((o) => o !== null && o !== undefined);
      expect(reference.length).toBeGreaterThan(0);
      expect(parseCrdYaml(file, text)).toEqual(reference);
    },
  );
});

describe('parsing and schema compile are paid once per CRD digest', () => {
  test('two sources reading the same bytes share the parsed Tenant schema and its validator', () => {
    const a = OperatorCrds.fromDirectory(operatorFixturesDir()).tenantSchema(OperatorRelease.V7_1_1)!;
    const b = OperatorCrds.fromFiles(
      path.join(operatorFixturesDir(), 'v7.1.1', CRD_FILES.tenants),
      path.join(operatorFixturesDir(), 'v7.1.1', CRD_FILES.policyBindings),
    ).tenantSchema(OperatorRelease.V7_1_1)!;
    expect(a).toBeDefined();
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(CrdSchemaValidator.forSchema(b)).toBe(CrdSchemaValidator.forSchema(a));
    // an equal copy is found by its digest
    expect(CrdSchemaValidator.forSchema(structuredClone(a))).toBe(CrdSchemaValidator.forSchema(a));
  });

  test('load() hands out copies the caller may change without touching the shared objects', () => {
    const crds = OperatorCrds.fromDirectory(operatorFixturesDir());
    const first = crds.load(OperatorRelease.V5_0_4)[0].objects[0] as any;
    first.metadata.labels = { changed: 'yes' };
    const again = OperatorCrds.fromDirectory(operatorFixturesDir()).load(OperatorRelease.V5_0_4)[0].objects[0] as any;
    expect(again.metadata.labels).toBeUndefined();
    expect(again.metadata.name).toBe('tenants.minio.min.io');
  });

  test('fails when a CRD file does not parse, naming the file', () => {
    expect(() => parseCrdYaml('x.yaml', 'kind: [unclosed')).toThrow(/^operator CRD "x\.yaml" does not parse as YAML: /);
  });

  test('fails when a file holds something else than CRDs', () => {
    expect(() => parseCrdYaml('x.yaml', 'kind: ConfigMap\n')).toThrow(
      'operator CRD "x.yaml" holds objects that are not CustomResourceDefinitions',
    );
  });
});

describe('OperatorCrds.alreadyInstalled()', () => {
  const release = OperatorRelease.V5_0_4;
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  test('emits no CRD and, with a schema source, still validates the Tenant against the release CRD', () => {
    const crds = OperatorCrds.alreadyInstalled({ schema: OperatorCrds.fromDirectory(operatorFixturesDir()) });
    expect(crds.kind).toBe(OperatorCrdsKind.ALREADY_INSTALLED);
    expect(crds.validatesTenant).toBe(true);
    const charts = new MinioSseCharts(Testing.app(), { declaration: seedDeclaration({ release }), crds });
    expect(Testing.synth(charts.operatorChart).filter((o: any) => o.kind === 'CustomResourceDefinition')).toEqual([]);
    // additionalVolumes exists from v6 on, not at v5.0.4
    charts.tenantChart.tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/additionalVolumes', []));
    expect(() => Testing.synth(charts.tenantChart)).toThrow(
      /does not match the v5\.0\.4 Tenant CRD: \/spec: unknown field "additionalVolumes"/,
    );
    expect(warn).not.toHaveBeenCalled();
  });

  test('without a schema source it says plainly, once, that the Tenant CRD check is off', () => {
    const crds = OperatorCrds.alreadyInstalled();
    expect(crds.validatesTenant).toBe(false);
    const charts = new MinioSseCharts(Testing.app(), { declaration: seedDeclaration({ release }), crds });
    charts.tenantChart.tenant.apiObject.addJsonPatch(JsonPatch.add('/spec/additionalVolumes', []));
    expect(() => Testing.synth(charts.tenantChart)).not.toThrow();
    expect(crds.tenantSchema(release)).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toBe(
      'warning: OperatorCrds.alreadyInstalled() has no schema source, so the Tenant is not validated against the v5.0.4 Tenant CRD; ' +
        'pass alreadyInstalled({ schema: OperatorCrds.fromRelease() }) or fromDirectory(<dir>) to keep that check',
    );
  });

  test('prefetch goes to the schema source', async () => {
    const source = OperatorCrds.fromDirectory(operatorFixturesDir());
    const spy = jest.spyOn(source, 'prefetch');
    await OperatorCrds.alreadyInstalled({ schema: source }).prefetch(release);
    expect(spy).toHaveBeenCalledWith(release);
  });

  test('fails when the schema source is itself alreadyInstalled', () => {
    expect(() => OperatorCrds.alreadyInstalled({ schema: OperatorCrds.alreadyInstalled() })).toThrow(
      'OperatorCrds.alreadyInstalled: schema must be a source that reads the CRD files (fromRelease, fromDirectory or fromFiles), not alreadyInstalled',
    );
  });
});
