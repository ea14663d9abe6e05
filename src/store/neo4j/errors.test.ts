import { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { AriadneError, invalidInput } from '../../errors.js';
import { translateNeo4jError } from './errors.js';

const site = { operation: 'stats', uri: 'bolt://db.example:7687' };
const driverError = (code: string, message = 'boom') => new Neo4jError(message, code as never, '50N42', 'error');

describe('translateNeo4jError', () => {
  it('turns a lost or refused connection into a retriable STORE_UNAVAILABLE naming the URI', () => {
    for (const err of [driverError('ServiceUnavailable'), driverError('SessionExpired'), Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7687'), { code: 'ECONNREFUSED' })]) {
      const e = translateNeo4jError(err, site);
      expect(e).toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: true });
      expect(e.message).toContain('bolt://db.example:7687');
      expect(e.cause).toBe(err);
    }
  });

  it('turns a uniqueness violation into CONFLICT', () => {
    const e = translateNeo4jError(driverError('Neo.ClientError.Schema.ConstraintValidationFailed'), site);
    expect(e).toMatchObject({ code: 'CONFLICT', retriable: false, context: { neo4jCode: 'Neo.ClientError.Schema.ConstraintValidationFailed', operation: 'stats' } });
  });

  it('turns refused credentials into a STORE_UNAVAILABLE that retrying will not fix', () => {
    expect(translateNeo4jError(driverError('Neo.ClientError.Security.Unauthorized'), site)).toMatchObject({ code: 'STORE_UNAVAILABLE', retriable: false });
  });

  it('turns anything else into INTERNAL with the Neo4j code, keeping the driver\'s retryable flag', () => {
    expect(translateNeo4jError(driverError('Neo.ClientError.Statement.SyntaxError'), site)).toMatchObject({
      code: 'INTERNAL',
      retriable: false,
      context: { neo4jCode: 'Neo.ClientError.Statement.SyntaxError' },
    });
    // A deadlock is a transient error: the driver marks it retryable.
    expect(translateNeo4jError(driverError('Neo.TransientError.Transaction.DeadlockDetected'), site)).toMatchObject({ code: 'INTERNAL', retriable: true });
  });

  it('lets an AriadneError through unchanged', () => {
    const err = invalidInput('bad block');
    expect(translateNeo4jError(err, site)).toBe(err);
    expect(err).toBeInstanceOf(AriadneError);
  });
});
