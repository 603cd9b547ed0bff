/** Column shapes that differ by dialect, so each migration states a table once. */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type RawBuilder } from 'kysely';
import type { Dialect } from '../connect.js';
import { dialectAdapter } from '../dialects/index.js';

/** An auto-increment integer primary key: SERIAL on PostgreSQL, AUTO_INCREMENT / AUTOINCREMENT elsewhere. */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: Dialect): CreateTableBuilder<T, 'id'> {
  return dialectAdapter(dialect).withId(table);
}

export const notNull = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => c.notNull();

/** `column IN ('a', 'b', ...)` with the values as literals, for a CHECK constraint. */
export function oneOf(column: string, values: readonly string[]): RawBuilder<unknown> {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
