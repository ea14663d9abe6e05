/**
 * Query depth and estimated cost of an operation, measured before it runs (no dependency: a walk over the
 * operation with the schema's types, fragments expanded, variables read).
 *
 * Depth: the longest chain of nested field selections; root fields are at depth 1. Introspection
 * (`__schema`, `__type`, `__typename`) is not counted.
 *
 * Cost (an estimate of the work, not a promise):
 * - every field that returns an object costs 1, scalar fields cost 0, plus the base cost of expensive
 *   fields (FIELD_COSTS: analytics, risk, cluster labels, mutations that write much);
 * - a list multiplies the cost of what is selected inside it (at least 1 per item for lists of objects)
 *   by its expected length: `first` for paged fields (the connection's `edges` and `nodes` take the
 *   `first` of the connection), the number of addresses for `screen`, `limit` for subgraph nodes, and
 *   DEFAULT_LIST_SIZE for other lists.
 * Example: `cluster(id) { addresses(first: 100) { nodes { id risk { score } } } }` costs
 *   cluster 1 + addresses 1 + nodes (1 + 100 x (risk 1 + 5)) = 603.
 *
 * `OperationShapes` keeps what a parsed document's operation measures, so that a service that sees the same
 * query again (Apollo hands back the same parsed document from its document cache) does not walk it again:
 * root fields, coordinates and depth depend on the document alone; the cost also on the variables it reads,
 * and is kept per shape of those (a list's length, a number's value).
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  getNamedType,
  getNullableType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from './graphql-js.js';
import { API_LIMITS } from './limits.js';

export const DEFAULT_LIST_SIZE = 10;

/** Base cost of expensive fields, on top of the 1 every object field costs. */
export const FIELD_COSTS: Readonly<Record<string, number>> = {
  'Query.trace': 500,
  'Query.taint': 500,
  'Query.peelChains': 200,
  'Query.subgraph': 200,
  'Query.stats': 10,
  'ScreeningResult.exposure': 200,
  'ScreeningResult.paths': 5,
  'ScreeningResult.risk': 5,
  'Address.risk': 50,
  'SubgraphNode.risk': 5,
  'Address.neighbours': 10,
  'Address.transactions': 5,
  'Cluster.labels': 50,
  'Mutation.ingestBlocks': 1_000,
  'Mutation.importSanctionsList': 500,
  'Mutation.evaluateTransaction': 200,
  'Mutation.draftSar': 100,
  'Mutation.onboardCustomer': 100,
  'Mutation.updateCustomer': 100,
  'Mutation.linkAddresses': 100,
};

export interface OperationMeasure {
  depth: number;
  cost: number;
  /** Every `Type.field` the operation selects (introspection left out). */
  coordinates: Set<string>;
}

function argValue(node: ValueNode | undefined, variables: Record<string, unknown>): unknown {
  if (!node) return undefined;
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => argValue(v, variables));
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    default:
      return undefined;
  }
}

function arg(field: FieldNode, name: string, variables: Record<string, unknown>, fallback?: unknown): unknown {
  const a = field.arguments?.find((x) => x.name.value === name);
  const v = argValue(a?.value, variables);
  return v === undefined || v === null ? fallback : v;
}

const count = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fallback);

/** Measures the operation; `variables` are the request's (raw JSON values). */
export function measureOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> = {}): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const coordinates = new Set<string>();
  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  if (!root) return { depth: 0, cost: 0, coordinates };

  /** Field nodes of a selection set, fragments expanded (guarding against cycles, which validation refuses anyway). */
  const fieldsOf = (set: SelectionSetNode, seen: Set<string> = new Set()): FieldNode[] => {
    const out: FieldNode[] = [];
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(s.selectionSet, seen));
      else {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) out.push(...fieldsOf(f.selectionSet, new Set([...seen, f.name.value])));
      }
    }
    return out;
  };

  const walk = (parent: GraphQLObjectType, set: SelectionSetNode, inheritedFirst: number | null): { depth: number; cost: number } => {
    let depth = 0;
    let cost = 0;
    for (const node of fieldsOf(set)) {
      const name = node.name.value;
      if (name.startsWith('__')) continue;
      const def: GraphQLField<unknown, unknown> | undefined = parent.getFields()[name];
      if (!def) continue;
      const coordinate = `${parent.name}.${name}`;
      coordinates.add(coordinate);
      const type = getNullableType(def.type);
      const named = getNamedType(def.type);
      let childDepth = 0;
      let childCost = 0;
      const hasFirst = def.args.some((a) => a.name === 'first');
      const first = hasFirst ? count(arg(node, 'first', variables), name === 'paths' ? 1 : API_LIMITS.defaultPageSize) : null;
      if (node.selectionSet && isObjectType(named)) {
        const passFirst = named.name.endsWith('Connection') ? first : parent.name.endsWith('Connection') ? inheritedFirst : null;
        const child = walk(named, node.selectionSet, passFirst);
        childDepth = child.depth;
        childCost = child.cost;
      }
      let fieldCost = (isObjectType(named) ? 1 : 0) + (FIELD_COSTS[coordinate] ?? 0);
      if (coordinate === 'Query.subgraph') fieldCost += 2 * count(arg(node, 'limit', variables, API_LIMITS.defaultSubgraphNodes), API_LIMITS.defaultSubgraphNodes);
      if (isListType(type)) {
        let size = DEFAULT_LIST_SIZE;
        if (coordinate === 'Query.screen') size = Array.isArray(arg(node, 'addresses', variables)) ? (arg(node, 'addresses', variables) as unknown[]).length : DEFAULT_LIST_SIZE;
        else if (first !== null) size = first;
        else if (parent.name.endsWith('Connection') && inheritedFirst !== null) size = inheritedFirst;
        else if (parent.name === 'Subgraph') size = subgraphLimit ?? API_LIMITS.defaultSubgraphNodes;
        // Every item of a list of objects costs at least 1, whatever is selected inside it.
        cost += fieldCost + size * (isObjectType(named) ? Math.max(1, childCost) : childCost);
      } else {
        cost += fieldCost + childCost;
      }
      depth = Math.max(depth, 1 + childDepth);
    }
    return { depth, cost };
  };

  // subgraph(limit) sizes its node and edge lists.
  let subgraphLimit: number | null = null;
  for (const f of fieldsOf(operation.selectionSet)) {
    if (f.name.value === 'subgraph') subgraphLimit = Math.max(subgraphLimit ?? 0, count(arg(f, 'limit', variables, API_LIMITS.defaultSubgraphNodes), API_LIMITS.defaultSubgraphNodes));
  }
  const r = walk(root, operation.selectionSet, null);
  return { depth: r.depth, cost: r.cost, coordinates };
}

/** The root fields an operation selects (fragments expanded, introspection left out). */
export function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const names = new Set<string>();
  const visit = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        if (!s.name.value.startsWith('__')) names.add(s.name.value);
      } else if (s.kind === Kind.INLINE_FRAGMENT) visit(s.selectionSet, seen);
      else {
        const f = fragments.get(s.name.value);
        if (f && !seen.has(f.name.value)) visit(f.selectionSet, new Set([...seen, f.name.value]));
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return [...names].sort();
}

/** What an operation measures, kept per parsed document (OperationShapes). */
export interface OperationShape {
  /** rootFields of the operation. */
  roots: readonly string[];
  /** Every `Type.field` the operation selects (introspection left out). */
  coordinates: ReadonlySet<string>;
  depth: number;
  /** The cost with these variables (raw JSON values), as measureOperation computes it. */
  cost(variables: Record<string, unknown>): number;
}

/** Costs kept per operation, one per shape of the variables: beyond this the oldest are dropped. */
const MAX_COST_SHAPES = 256;

/**
 * The cost reads variables only as a list's length or a number's value (`first`, `limit`, screen's
 * `addresses`); anything else counts as absent. Two variable values with the same key cost the same.
 */
function shapeKey(names: readonly string[], variables: Record<string, unknown>): string {
  let key = '';
  for (const name of names) {
    const v = variables[name];
    key += Array.isArray(v) ? `a${v.length},` : typeof v === 'number' ? `n${v},` : 'x,';
  }
  return key;
}

/**
 * Measures of operations, kept per parsed document and operation node (weakly: a document Apollo drops
 * from its cache is dropped here too). For one schema per instance and documents that are not changed after
 * parsing, as graphql-js and Apollo treat them.
 */
export class OperationShapes {
  private readonly byDocument = new WeakMap<DocumentNode, Map<OperationDefinitionNode, OperationShape>>();

  constructor(readonly schema: GraphQLSchema) {}

  of(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
    let operations = this.byDocument.get(document);
    if (!operations) this.byDocument.set(document, (operations = new Map()));
    let shape = operations.get(operation);
    if (!shape) operations.set(operation, (shape = this.measure(document, operation)));
    return shape;
  }

  private measure(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
    const { schema } = this;
    // One walk with variables that record which of them the cost reads (their values are absent here).
    const read = new Set<string>();
    const recorder = new Proxy({} as Record<string, unknown>, {
      get: (_, name) => {
        if (typeof name === 'string') read.add(name);
        return undefined;
      },
    });
    const first = measureOperation(schema, document, operation, recorder);
    const names = [...read].sort();
    const costs = new Map<string, number>();
    return {
      roots: rootFields(document, operation),
      coordinates: first.coordinates,
      depth: first.depth,
      cost(variables) {
        if (names.length === 0) return first.cost;
        const key = shapeKey(names, variables);
        let cost = costs.get(key);
        if (cost === undefined) {
          cost = measureOperation(schema, document, operation, variables).cost;
          if (costs.size >= MAX_COST_SHAPES) costs.delete(costs.keys().next().value!);
          costs.set(key, cost);
        }
        return cost;
      },
    };
  }
}
