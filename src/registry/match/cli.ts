/**
 * `yiwang registry match`: the resolution pipeline on plain CSV files, so anyone can check the matcher. It
 * writes one line per matched pair (the two row ids and the match probability) and, told which column holds
 * the truth, prints precision, recall and F1. The truth column is removed before cleaning: the matcher never
 * sees it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { StartupError } from '../../kernel/errors.ts';
import type { RawRecord } from './clean.ts';
import { pairQuality, type PairQuality } from './evaluate.ts';
import { scorer } from './model.ts';
import { resolveRecords, type Stage } from './pipeline.ts';
import { comparisonLevels, librarySchemas, type FieldSpec, type FieldType, type LibraryName, type LibrarySchema } from './schema.ts';

/**
 * Columns known by name when no mapping is given: the library's own field names, and the columns of the FEBRL
 * data sets (the usual benchmark of record linkage), so their files run as they are.
 */
const KNOWN_COLUMNS: Readonly<Record<string, FieldSpec>> = {
  given_name: { name: 'given_name', type: 'name', alternates: ['surname'], termFrequency: true },
  surname: { name: 'surname', type: 'name', alternates: ['given_name'], termFrequency: true },
  street_number: { name: 'street_number', type: 'code' },
  address_1: { name: 'address_1', type: 'text', termFrequency: true },
  address_2: { name: 'address_2', type: 'text', termFrequency: true },
  suburb: { name: 'suburb', type: 'text', termFrequency: true },
  postcode: { name: 'postcode', type: 'code', termFrequency: true },
  state: { name: 'state', type: 'category' },
  date_of_birth: { name: 'date_of_birth', type: 'date' },
  soc_sec_id: { name: 'soc_sec_id', type: 'code', termFrequency: true },
};

export interface MatchCommandOptions {
  dedupe?: string;
  link?: string[];
  out: string;
  library: string;
  map?: string;
  truth?: string;
  id?: string;
  threshold?: string;
}

interface Table {
  columns: string[];
  rows: Record<string, string>[];
}

function readTable(file: string): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new StartupError(`cannot read ${file}`);
  }
  // FEBRL separates fields by ", " and writes an empty field as one space: trimming handles both.
  const rows = parse(text, { columns: true, trim: true, skip_empty_lines: true, bom: true }) as Record<string, string>[];
  return { columns: rows.length ? Object.keys(rows[0]) : [], rows };
}

/** Parses `--map "列=field,…"`: a column onto a library field, or onto a field type for a column of its own. */
function parseMap(map: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (map ?? '').split(',').map((p) => p.trim()).filter(Boolean)) {
    const at = part.lastIndexOf('=');
    if (at <= 0 || at === part.length - 1) throw new StartupError(`--map: "${part}" is not column=field`);
    out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

/** The schema of the columns used, and which column feeds which field. */
export function schemaForColumns(library: LibrarySchema, columns: readonly string[], map: ReadonlyMap<string, string>, excluded: ReadonlySet<string>): { schema: LibrarySchema; columnOf: Map<string, string> } {
  const fields: FieldSpec[] = [];
  const columnOf = new Map<string, string>();
  for (const column of map.keys()) if (!columns.includes(column)) throw new StartupError(`--map: the file has no column "${column}"`);
  for (const column of columns) {
    if (excluded.has(column)) continue;
    const target = map.get(column) ?? column;
    const libraryField = library.fields.find((f) => f.name === target);
    const spec = libraryField
      ?? (map.has(column) && target in comparisonLevels ? { name: column, type: target as FieldType } : undefined)
      ?? (map.has(column) ? undefined : KNOWN_COLUMNS[column]);
    if (!spec) {
      if (map.has(column)) throw new StartupError(`--map: "${target}" is neither a field of ${library.library} nor a field type`);
      continue;
    }
    if (columnOf.has(spec.name)) throw new StartupError(`--map: two columns feed the field "${spec.name}"`);
    fields.push(spec);
    columnOf.set(spec.name, column);
  }
  if (!fields.length) throw new StartupError(`no column to match on: name them with --map column=field (fields of ${library.library}: ${library.fields.map((f) => f.name).join(', ')})`);
  // Alternates only make sense when their field is there too.
  const present = new Set(fields.map((f) => f.name));
  const schema = { library: library.library, fields: fields.map((f) => ({ ...f, alternates: f.alternates?.filter((a) => present.has(a)) })) };
  return { schema, columnOf };
}

/** A progress line on stderr: redrawn in place on a terminal, one line per stage otherwise. */
function progressLine(stream: NodeJS.WriteStream = process.stderr) {
  return (stage: Stage, done: number, total: number) => {
    const text = total ? `${stage}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}` : `${stage}: ${done.toLocaleString('en')} pairs compared`;
    if (stream.isTTY) stream.write(`\r\x1b[K${text}${done === total ? '\n' : ''}`);
    else if (done === total) stream.write(`${text}\n`);
  };
}

export interface MatchRun {
  pairs: number;
  quality?: PairQuality;
}

export function runMatch(options: MatchCommandOptions): MatchRun {
  const files = options.dedupe ? [options.dedupe] : options.link ?? [];
  if (!!options.dedupe === !!options.link?.length) throw new StartupError('give either --dedupe <file> or --link <a> <b>');
  if (options.link && options.link.length !== 2) throw new StartupError('--link takes two files');
  if (!(options.library in librarySchemas)) throw new StartupError(`--library: one of ${Object.keys(librarySchemas).join(', ')}`);
  const threshold = options.threshold === undefined ? undefined : Number(options.threshold);
  if (threshold !== undefined && !(threshold > 0 && threshold < 1)) throw new StartupError('--threshold: a probability between 0 and 1');
  const tables = files.map(readTable);
  for (const [i, t] of tables.entries()) {
    for (const c of [options.truth, options.id]) if (c && !t.columns.includes(c)) throw new StartupError(`${files[i]} has no column "${c}"`);
  }
  const excluded = new Set([options.truth, options.id].filter((c): c is string => !!c));
  const { schema, columnOf } = schemaForColumns(librarySchemas[options.library as LibraryName], tables[0].columns, parseMap(options.map), excluded);
  process.stderr.write(`matching on ${schema.fields.map((f) => `${columnOf.get(f.name)} (${f.type})`).join(', ')}\n`);

  // Row ids are the given id column or the row number (from 1); in a link, the file's letter goes before it.
  const truth = new Map<string, string>();
  const raws: RawRecord[] = tables.flatMap((t, file) => t.rows.map((row, i) => {
    const rowId = options.id ? row[options.id] : String(i + 1);
    const id = options.link ? `${'ab'[file]}:${rowId}` : rowId;
    if (options.truth) truth.set(id, row[options.truth]);
    const values: Record<string, string> = {};
    for (const f of schema.fields) values[f.name] = row[columnOf.get(f.name)!];
    return { id, source: files[file], values };
  }));
  if (options.truth) for (const [id, v] of truth) truth.set(id, entityOfTruth(v));

  const result = resolveRecords(schema, raws, {
    threshold, train: { blocking: { mode: options.link ? 'link' : 'dedupe' } }, onProgress: progressLine(),
  });
  // Every pair within an entity is a match, also one blocking never compared; its probability is its own.
  const byId = new Map(result.records.map((r) => [r.id, r]));
  const direct = new Map(result.pairs.map((p) => [`${p.a}\u0001${p.b}`, p.probability]));
  const s = scorer(result.model);
  const lines: [string, string, string][] = [];
  for (const entity of result.clustering.entities) {
    for (let i = 0; i < entity.length; i++) {
      for (let j = i + 1; j < entity.length; j++) {
        let [a, b] = [entity[i], entity[j]];
        if (options.link && a.startsWith('a:') === b.startsWith('a:')) continue;
        if (b.startsWith('a:') && !a.startsWith('a:')) [a, b] = [b, a];
        const probability = direct.get(`${a}\u0001${b}`) ?? direct.get(`${b}\u0001${a}`) ?? s.score(byId.get(a)!, byId.get(b)!).probability;
        lines.push([a, b, probability.toFixed(6)]);
      }
    }
  }
  const strip = (id: string) => (options.link ? id.slice(2) : id);
  writeFileSync(options.out, stringify(lines.map(([a, b, p]) => [strip(a), strip(b), p]), { header: true, columns: ['a_id', 'b_id', 'probability'] }));
  process.stderr.write(`${lines.length} matched pairs written to ${options.out}\n`);
  if (!options.truth) return { pairs: lines.length };
  const quality = pairQuality(lines.map(([a, b]) => [a, b] as const), truth, options.link ? (id) => id[0] : undefined);
  console.log(JSON.stringify({
    precision: round(quality.precision), recall: round(quality.recall), f1: round(quality.f1),
    truePairs: quality.truePairs, foundPairs: quality.foundPairs, correctPairs: quality.correctPairs,
  }));
  return { pairs: lines.length, quality };
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

/** A FEBRL record id (rec-12-org, rec-12-dup-0) stands for its entity number; any other truth value is the entity. */
const entityOfTruth = (value: string) => /^rec-(\d+)-(?:org|dup-\d+)$/.exec(value)?.[1] ?? value;

/** Adds `match` to the `registry` command (made here when the module has not made it yet). */
export function registryMatchCli(program: Command): void {
  const registry = program.commands.find((c) => c.name() === 'registry')
    ?? program.command('registry').description('base libraries (人口库, 法人库): sources, matching, golden records');
  registry.command('match')
    .description('resolve the records of CSV files into entities and write the matched pairs (a_id, b_id, probability)')
    .option('--dedupe <file>', 'find the records of one file that are the same person or company')
    .option('--link <files...>', 'find the records of file a that are the same as records of file b')
    .requiredOption('--out <file>', 'CSV file for the matched pairs')
    .option('--library <name>', 'person or company', 'person')
    .option('--map <mapping>', 'columns onto fields: "姓名=name,身份证号=id_number" (or onto a type: "postcode=code")')
    .option('--truth <column>', 'column holding the true entity, to print precision, recall and F1 (never used for matching)')
    .option('--id <column>', 'column holding the row id (default: the row number from 1)')
    .option('--threshold <probability>', 'match probability from which a pair is a match (default 0.5)')
    .action((opts: MatchCommandOptions) => {
      runMatch(opts);
    });
}
