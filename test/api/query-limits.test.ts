/**
 * Depth and cost of operations, measured against schema.graphql. Expected numbers are worked out by hand
 * from the rules in src/api/query-limits.ts (object field 1, scalar 0, FIELD_COSTS, list x size).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from '../../src/api/graphql-js.js';
import { measureOperation, OperationShapes, rootFields } from '../../src/api/query-limits.js';
import { permissionProblems, PERMISSIONS } from '../../src/api/auth/permissions.js';
import { repoRoot } from './harness.js';

const schema = buildSchema(readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8'));

function measure(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const op = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return measureOperation(schema, doc, op, variables);
}

describe('measureOperation', () => {
  it('counts depth from the root field, scalars included, introspection left out', () => {
    expect(measure('{ me { keyId } }').depth).toBe(2);
    expect(measure('{ address(id: "x") { cluster { addresses { nodes { id } } } } }').depth).toBe(5);
    expect(measure('{ __schema { types { fields { type { ofType { ofType { name } } } } } } }').depth).toBe(0);
  });

  it('prices a page of addresses with risk: cluster 1 + addresses 1 + nodes (1 + 100 x (risk 1 + 50))', () => {
    const m = measure('{ cluster(id: "x") { addresses(first: 100) { nodes { id risk { score } } } } }');
    expect(m.cost).toBe(1 + 1 + (1 + 100 * (1 + 50)));
  });

  it('takes `first` from variables, and the default page of 50 without it', () => {
    expect(measure('query($n: Int) { cluster(id: "x") { addresses(first: $n) { nodes { id } } } }', { n: 7 }).cost).toBe(1 + 1 + (1 + 7 * 1));
    expect(measure('{ cluster(id: "x") { addresses { nodes { id } } } }').cost).toBe(1 + 1 + (1 + 50 * 1));
  });

  it('charges a screening batch per address, even when only scalars are asked', () => {
    const list = Array.from({ length: 1000 }, (_, i) => `a${i}`);
    expect(measure('query($l: [String!]!) { screen(addresses: $l) { distance } }', { l: list }).cost).toBe(1 + 1000 * 1);
    // paths(first: 1): base 5 + 1, one path x (hops: 1 + 10 x (received 1)) ; risk 5 + 1.
    expect(measure('{ screen(addresses: ["a", "b"]) { risk { score } paths { hops { received { value } } } } }').cost).toBe(1 + 2 * (5 + 1 + (5 + 1 + 1 * (1 + 10 * 1))));
  });

  it('expands fragments and records every field coordinate', () => {
    const m = measure('query { alert(id: "1") { ...A } } fragment A on Alert { id customer { legalName } }');
    expect([...m.coordinates].sort()).toEqual(['Alert.customer', 'Alert.id', 'Customer.legalName', 'Query.alert']);
    expect(m.cost).toBe(1 + 1);
  });

  it('lists root fields through fragments and aliases, introspection left out', () => {
    const doc = parse('query { a: stats { blocks } ... on Query { me { role } } __typename }');
    expect(rootFields(doc, doc.definitions[0] as OperationDefinitionNode)).toEqual(['me', 'stats']);
  });
});

describe('OperationShapes', () => {
  const operationOf = (query: string) => {
    const doc = parse(query);
    return { doc, op: doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)! };
  };

  it('measures a parsed document once and prices each shape of the variables its cost reads', () => {
    const shapes = new OperationShapes(schema);
    const { doc, op } = operationOf('query($l: [String!]!) { screen(addresses: $l) { distance } }');
    const shape = shapes.of(doc, op);
    expect(shapes.of(doc, op)).toBe(shape);
    expect(shape.roots).toEqual(['screen']);
    expect([...shape.coordinates].sort()).toEqual(['Query.screen', 'ScreeningResult.distance']);
    expect(shape.depth).toBe(2);
    // screen 1 + n addresses x 1 (a list of objects costs at least 1 an item).
    expect(shape.cost({ l: ['a'] })).toBe(1 + 1);
    expect(shape.cost({ l: Array.from({ length: 1000 }, (_, i) => `a${i}`) })).toBe(1 + 1000);
    expect(shape.cost({ l: ['b'] })).toBe(1 + 1);
    // Not a list: the default list size of 10.
    expect(shape.cost({ l: 'a' })).toBe(1 + 10);
  });

  it('prices `first` from variables by value, and a document that reads no variable once', () => {
    const shapes = new OperationShapes(schema);
    const paged = operationOf('query($n: Int) { cluster(id: "x") { addresses(first: $n) { nodes { id } } } }');
    const shape = shapes.of(paged.doc, paged.op);
    expect(shape.cost({ n: 7 })).toBe(1 + 1 + (1 + 7 * 1));
    expect(shape.cost({ n: 100 })).toBe(1 + 1 + (1 + 100 * 1));
    expect(shape.cost({})).toBe(1 + 1 + (1 + 50 * 1));
    const fixed = operationOf('{ cluster(id: "x") { addresses(first: 3) { nodes { id } } } }');
    expect(shapes.of(fixed.doc, fixed.op).cost({ n: 500 })).toBe(1 + 1 + (1 + 3 * 1));
  });
});

describe('the permission map', () => {
  it('covers every query and mutation of the schema, and names only fields that exist', () => {
    expect(permissionProblems(schema)).toEqual([]);
  });

  it('reports a root field without an entry', () => {
    const bigger = buildSchema(`${readFileSync(path.join(repoRoot, 'schema.graphql'), 'utf8')}\nextend type Query { secret: Int }`);
    expect(permissionProblems(bigger)).toEqual(['Query.secret has no entry in PERMISSIONS']);
  });

  it('keeps personal data to compliance and admin', () => {
    for (const c of ['Query.customer', 'Query.customers', 'Alert.customer', 'Address.customers', 'Query.report', 'Mutation.draftSar']) {
      expect([...PERMISSIONS[c as keyof typeof PERMISSIONS]].sort(), c).toEqual(['admin', 'compliance']);
    }
  });
});
