// The NYC 311 sample (fixtures/311_subset.micro.csv) as labelled examples, split the same way everywhere.
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Example } from '../../../src/hotline/classifier/index.ts';

const csv = new URL('./fixtures/311_subset.micro.csv', import.meta.url);

export type NycTask = 'Agency' | 'Complaint Type';

/**
 * Every row as `{ text: Descriptor, label: <task column> }`, optionally with the Location Type appended
 * to the text; the label column is never part of the text.
 */
export function nycExamples(task: NycTask, { withLocationType = false } = {}): Example[] {
  const rows = parse(fs.readFileSync(csv), { columns: true }) as Record<string, string>[];
  return rows.map((row) => ({
    text: withLocationType ? `${row.Descriptor} | ${row['Location Type']}` : row.Descriptor,
    label: row[task],
  }));
}

/** Every fifth row is held out (20 %), so the split is the same on every run. */
export function splitEveryFifth<T>(rows: T[]): { training: T[]; heldOut: T[] } {
  return {
    training: rows.filter((_, i) => i % 5 !== 4),
    heldOut: rows.filter((_, i) => i % 5 === 4),
  };
}
