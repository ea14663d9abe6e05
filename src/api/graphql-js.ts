/**
 * graphql-js, as the API imports it. Apollo Server loads graphql through Node's resolution (the package's
 * CommonJS `main`, index.js); a bundler-style resolver (vitest) would hand plain `import 'graphql'` the ESM
 * build (index.mjs) instead, and schema types, errors and scalars would then come from two copies of
 * graphql-js, which refuse each other ("Cannot use GraphQLNonNull from another module or realm").
 * Importing the `main` file by name gives every loader the one copy Apollo uses.
 */
export {
  buildSchema,
  defaultFieldResolver,
  getNamedType,
  getNullableType,
  GraphQLError,
  GraphQLScalarType,
  isListType,
  isObjectType,
  Kind,
  parse,
} from 'graphql/index.js';
export type {
  DocumentNode,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLField,
  GraphQLFieldResolver,
  GraphQLFormattedError,
  GraphQLObjectType,
  GraphQLSchema,
  OperationDefinitionNode,
  SelectionSetNode,
  ValueNode,
} from 'graphql/index.js';
