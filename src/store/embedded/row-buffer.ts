/**
 * Buffers rows for one table and inserts them with multi-row INSERT statements (ROWS_PER_STATEMENT rows
 * per call). A bulk load inserts millions of rows, and a call into SQLite per row cost about as much as
 * the insert itself (docs/performance.md, "Embedded ingest"). Callers flush before anything reads the table
 * in the same transaction; rows left in the buffer when a transaction fails are dropped with `clear`.
 */
import type Database from 'better-sqlite3';

const ROWS_PER_STATEMENT = 64;

export class RowBuffer {
  private values: unknown[] = [];
  private rows = 0;
  private readonly many: Database.Statement;
  private readonly one: Database.Statement;

  constructor(db: Database.Database, insertPrefix: string, private readonly columns: number) {
    const row = `(${new Array<string>(columns).fill('?').join(', ')})`;
    this.one = db.prepare(`${insertPrefix} VALUES ${row}`);
    this.many = db.prepare(`${insertPrefix} VALUES ${new Array<string>(ROWS_PER_STATEMENT).fill(row).join(', ')}`);
  }

  push(...row: unknown[]): void {
    if (row.length !== this.columns) throw new Error(`row buffer: expected ${this.columns} values, got ${row.length}`);
    for (const v of row) this.values.push(v);
    if (++this.rows === ROWS_PER_STATEMENT) {
      this.many.run(this.values);
      this.clear();
    }
  }

  flush(): void {
    for (let k = 0; k < this.rows; k++) this.one.run(this.values.slice(k * this.columns, (k + 1) * this.columns));
    this.clear();
  }

  clear(): void {
    this.values = [];
    this.rows = 0;
  }
}
