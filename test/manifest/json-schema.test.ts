import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { ruleNames } from '../../src/manifest/change-rules.js';
import { transformStepSchema } from '../../src/data/transform/schema.js';
import { manifestJsonSchema, manifestJsonSchemaText } from '../../src/manifest/json-schema.js';

type Json = Record<string, unknown> & { properties?: Record<string, Json>; items?: Json; anyOf?: Json[] };

describe('manifests/schema.json', () => {
  it('is what the schema generates now (run `npm run schema` and commit it when this fails)', () => {
    const committed = readFileSync('manifests/schema.json', 'utf8');
    const fresh = manifestJsonSchemaText();
    if (committed !== fresh) throw new Error('manifests/schema.json is stale: run `npm run schema` and commit manifests/schema.json');
    expect(JSON.parse(committed)).toEqual(manifestJsonSchema());
  });

  it('describes the manifest as written: every rule, every transform step, defaults optional', () => {
    const schema = manifestJsonSchema() as Json;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['apiVersion', 'kind', 'metadata', 'dataset', 'consumers']);
    const props = schema.properties!;
    expect(props.apiVersion).toMatchObject({ const: 'fleetwave/v1' });
    const change = props.changes!.items!;
    expect(Object.keys(change.properties!)).toEqual([...ruleNames]);
    expect(change).toMatchObject({ minProperties: 1, maxProperties: 1, additionalProperties: false });
    const steps = props.dataset!.properties!.transform!.items!.anyOf!.map((s) => Object.keys(s.properties!)[0]);
    expect(steps).toEqual(transformStepSchema.options.map((o) => Object.keys(o.shape)[0]));
    expect(steps).toContain('rename');
    const rollout = props.rollout!;
    expect(rollout.required).toBeUndefined();
    expect(rollout.properties!.soak).toMatchObject({ type: 'string', default: '0s' });
    expect(props.metadata!.properties!.name!.description).toContain('fleetwave/<name>');
  });
});
