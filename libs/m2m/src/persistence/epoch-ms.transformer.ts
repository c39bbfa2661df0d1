import type { ValueTransformer } from 'typeorm';

/**
 * Stores instants as epoch milliseconds in a `bigint` column: the same on SQLite and
 * PostgreSQL, and independent of the server's time zone. The pg driver returns `bigint` as a
 * string, hence the `Number()`.
 */
export const epochMs: ValueTransformer = {
  to: (value: Date | null | undefined) => (value == null ? value : value.getTime()),
  from: (value: string | number | null) => (value == null ? null : new Date(Number(value))),
};

/** A `bigint` counter as a JavaScript number (exact up to 2^53). */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | number | null) => (value == null ? 0 : Number(value)),
};
