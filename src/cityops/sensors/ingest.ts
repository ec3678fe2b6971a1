/**
 * 读数接入: the one way readings come in, from the embedded broker, an external broker and HTTP alike.
 * A reading is checked (shape, time, device, signature) in memory, fed to its device's rules in sequence
 * order, and queued; a flush writes the queued readings, the devices' last-seen, the events raised and
 * cleared and their ledger entries in one transaction every few milliseconds (or sooner when many are
 * waiting). A (device, seq) seen before is stored once; a reading older than the device's latest is stored
 * but not fed to the rules, so a late or repeated delivery changes nothing.
 */
import crypto from 'node:crypto';
import { systemActor } from '../../kernel/auth/index.ts';
import { prepared, type Db, type Tx } from '../../kernel/db/index.ts';
import { withTransaction } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger, type LedgerEntryInput } from '../../kernel/ledger/index.ts';
import { notifyScreen, type ScreenMessage } from '../screen/feed.ts';
import { caseFieldsOf, type CaseFields } from './cases.ts';
import { evaluateReading, initialRuleState, type DeviceRuleState, type RuleTransition, type SensorRule } from './rules.ts';

/** A reading as a device sends it. `at` is epoch milliseconds; `sig` signs the other four (see `readingText`). */
export interface Reading {
  device: string;
  seq: number;
  at: number;
  value: number;
  sig: string;
}

/** What the signature covers: the fields joined by new lines, the value with six decimals (what any printf writes alike). */
export const readingText = (r: Pick<Reading, 'device' | 'seq' | 'at' | 'value'>) => `${r.device}\n${r.seq}\n${r.at}\n${r.value.toFixed(6)}`;

/** Signs a reading with the device's signing key (see devices.ts `signingKeyOf`), as a device does. */
export function signReading(signingKey: Buffer, r: Pick<Reading, 'device' | 'seq' | 'at' | 'value'>): string {
  return crypto.createHmac('sha256', signingKey).update(readingText(r)).digest('base64url');
}

/** How far ahead of the platform's clock a reading may be stamped, and how old it may be when it arrives. */
export const futureSkewMs = 5 * 60_000;
export const maxAgeMs = 3 * 86_400_000;

export type ReadingOutcome = 'stored' | 'late' | 'duplicate';

/** A device as the ingest keeps it in memory. */
interface DeviceEntry {
  id: number;
  code: string;
  typeCode: string;
  enabled: boolean;
  signingKey: Buffer;
  lastSeq: number;
  rules: SensorRule[];
  rulesText: string;
  state: DeviceRuleState;
  place: { divisionCode: string; gridCode: string | null; lon: number; lat: number; componentCode: string | null };
  caseKind: { classCode: string; kindCode: string; typeNameZh: string; unit: string };
}

interface Queued {
  device: DeviceEntry;
  reading: Reading;
  /** Fed to the rules (a reading newer than the device's latest). */
  inOrder: boolean;
  transitions: RuleTransition[];
  receivedAt: number;
}

interface Group {
  items: Queued[];
  resolve(outcomes: ReadingOutcome[]): void;
  reject(error: unknown): void;
}

/** An event the flush wrote, as the listeners of `onEvents` get it once committed. */
export interface CommittedEvent {
  id: number;
  deviceCode: string;
  rule: string;
  change: 'raised' | 'cleared';
  readingAt: number;
  receivedAt: number;
  committedAt: number;
}

export interface IngestStats {
  received: number;
  stored: number;
  late: number;
  duplicate: number;
  refused: Record<string, number>;
  flushes: number;
  eventsRaised: number;
  eventsCleared: number;
}

const codePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/;
const refuse = (code: string, field: string, detail: string, status = 400) => new DomainError(code, { field, status }, detail);
const systemEntryActor = systemActor('cityops.sensors');

/** Checks a reading's shape and time (no device needed); `prefix` names the field in a batch (`readings[3].`). */
export function checkReadingShape(raw: unknown, now: number, prefix = ''): Reading {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw refuse('cityops.sensor.malformed-reading', prefix.replace(/\.$/, '') || 'body', 'a reading is a JSON object');
  const r = raw as Record<string, unknown>;
  if (typeof r.device !== 'string' || !codePattern.test(r.device))
    throw refuse('cityops.sensor.malformed-reading', `${prefix}device`, 'device: the device code, 3 to 40 letters, digits, _ or -');
  if (typeof r.seq !== 'number' || !Number.isSafeInteger(r.seq) || r.seq < 0)
    throw refuse('cityops.sensor.malformed-reading', `${prefix}seq`, 'seq: the device\'s sequence number, an integer ≥ 0');
  if (typeof r.at !== 'number' || !Number.isSafeInteger(r.at))
    throw refuse('cityops.sensor.malformed-reading', `${prefix}at`, 'at: the time of the reading in epoch milliseconds');
  if (typeof r.value !== 'number' || !Number.isFinite(r.value) || Math.abs(r.value) > 1e9)
    throw refuse('cityops.sensor.malformed-reading', `${prefix}value`, 'value: a finite number');
  if (r.sig === undefined || r.sig === null || r.sig === '')
    throw refuse('cityops.sensor.unsigned-reading', `${prefix}sig`, 'sig: the reading\'s HMAC-SHA256 signature is missing', 401);
  if (typeof r.sig !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(r.sig))
    throw refuse('cityops.sensor.malformed-reading', `${prefix}sig`, 'sig: base64url of an HMAC-SHA256');
  if (r.at > now + futureSkewMs)
    throw refuse('cityops.sensor.reading-in-future', `${prefix}at`, `at lies ${Math.round((r.at - now) / 1000)} s ahead of the platform's clock`);
  if (r.at < now - maxAgeMs)
    throw refuse('cityops.sensor.reading-too-old', `${prefix}at`, `a reading older than ${maxAgeMs / 86_400_000} days is not taken`);
  return { device: r.device, seq: r.seq, at: r.at, value: r.value, sig: r.sig };
}

/** A device as the ingest holds it: with its place and the kind its cases are filed under. */
interface DeviceRow extends Omit<CaseFields, 'description'> {
  id: number;
  code: string;
  typeCode: string;
  enabled: boolean;
  signingKey: Buffer;
  lastSeq: number | null;
  rules: SensorRule[];
  typeNameZh: string;
  unit: string;
  updatedAt: Date;
}

// The device with its type's rules, and the kind a case files it under: its component's kind, or its type's.
const deviceSql = `SELECT d.id, d.code, d.type_code AS "typeCode", d.enabled, d.signing_key AS "signingKey", d.last_seq::float8 AS "lastSeq",
    t.rules, d.division_code AS "divisionCode", d.grid_code AS "gridCode", d.lon, d.lat, d.component_code AS "componentCode",
    coalesce(c.class_code, t.case_class_code) AS "classCode", coalesce(c.kind_code, t.case_kind_code) AS "kindCode",
    t.name_zh AS "typeNameZh", t.unit, d.updated_at AS "updatedAt"
  FROM cityops_sensor_devices d JOIN cityops_sensor_types t ON t.code = d.type_code
  LEFT JOIN cityops_components c ON c.code = d.component_code`;

export interface IngestOptions {
  /** How long a reading may wait for its flush (ms). */
  flushMs?: number;
  /** Readings per flush at most (a batch HTTP request is never split). */
  maxBatch?: number;
  /** Readings waiting beyond which new ones are refused (the database is behind). */
  maxQueued?: number;
  log?: (line: string) => void;
}

/**
 * The ingest of one process: devices in memory (reloaded when their row changes), the queue and its flushes.
 * `start` loads the devices; `stop` flushes what waits.
 */
export class SensorIngest {
  readonly stats: IngestStats = { received: 0, stored: 0, late: 0, duplicate: 0, refused: {}, flushes: 0, eventsRaised: 0, eventsCleared: 0 };
  private readonly devices = new Map<string, DeviceEntry>();
  private readonly missing = new Map<string, number>();
  private readonly stale = new Set<string>();
  private queue: Group[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | undefined;
  private refresher: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private loadedUpTo = new Date(0);
  private readonly listeners = new Set<(events: CommittedEvent[]) => void>();
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxQueued: number;
  private readonly log: (line: string) => void;
  private lastLog = 0;
  private stopped = false;

  constructor(private readonly db: Db, options: IngestOptions = {}) {
    this.flushMs = options.flushMs ?? 20;
    this.maxBatch = options.maxBatch ?? 2_000;
    this.maxQueued = options.maxQueued ?? 100_000;
    this.log = options.log ?? ((line) => console.error(line));
  }

  async start(): Promise<void> {
    await this.refresh();
    this.refresher = setInterval(() => void this.refresh().catch((error: unknown) => this.log(`sensor devices reload failed: ${String(error)}`)), 1_000);
    this.refresher.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.refresher);
    clearTimeout(this.timer);
    while (this.flushing || this.queue.length > 0) await (this.flushing ?? this.flush());
  }

  /** Called with the events of each committed flush (the console's live view, the benchmark). */
  onEvents(listener: (events: CommittedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Devices whose row changed since the last load (a few seconds of overlap, for transactions that committed late),
   * with their type's rules and the events still open.
   */
  async refresh(): Promise<void> {
    const since = new Date(this.loadedUpTo.getTime() - 5_000);
    const started = new Date();
    const { rows } = await this.db.query<DeviceRow>(`${deviceSql} WHERE d.updated_at > $1`, [since]);
    if (rows.length === 0) {
      this.loadedUpTo = started;
      return;
    }
    const { rows: open } = await this.db.query<{ deviceId: number; rule: string }>(
      `SELECT device_id AS "deviceId", rule FROM cityops_sensor_events WHERE state = 'raised' AND device_id = ANY($1::int[])`, [rows.map((r) => r.id)]);
    const raised = new Map<number, Set<string>>();
    for (const o of open) raised.set(o.deviceId, (raised.get(o.deviceId) ?? new Set()).add(o.rule));
    for (const row of rows) this.keep(row, raised.get(row.id) ?? new Set());
    this.loadedUpTo = started;
  }

  private keep(row: DeviceRow, raised: ReadonlySet<string>): DeviceEntry {
    const current = this.devices.get(row.code);
    const rulesText = JSON.stringify(row.rules);
    const entry: DeviceEntry = {
      id: row.id, code: row.code, typeCode: row.typeCode, enabled: row.enabled, signingKey: row.signingKey,
      lastSeq: Math.max(current?.lastSeq ?? -1, row.lastSeq ?? -1), rules: row.rules, rulesText,
      // Rules that did not change keep their state (runs towards a change, the rate window).
      state: current && current.rulesText === rulesText ? current.state : initialRuleState(row.rules, raised),
      place: { divisionCode: row.divisionCode, gridCode: row.gridCode, lon: row.lon, lat: row.lat, componentCode: row.componentCode },
      caseKind: { classCode: row.classCode, kindCode: row.kindCode, typeNameZh: row.typeNameZh, unit: row.unit },
    };
    this.devices.set(row.code, entry);
    this.missing.delete(row.code);
    return entry;
  }

  /**
   * The device's row changed in this process (disabled, re-keyed): its next reading reads it again, rather than
   * waiting for the reload of the second. Called after the change committed.
   */
  forget(code: string): void {
    this.stale.add(code);
  }

  /** A device not in memory (registered a moment ago, or unknown: remembered as such for a second), or changed here. */
  private async lookUp(code: string): Promise<DeviceEntry | undefined> {
    const known = this.devices.get(code);
    if (known && !this.stale.has(code)) return known;
    this.stale.delete(code);
    if (!known && (this.missing.get(code) ?? 0) > Date.now()) return undefined;
    const { rows } = await this.db.query<DeviceRow>(`${deviceSql} WHERE d.code = $1`, [code]);
    if (!rows[0]) {
      this.missing.set(code, Date.now() + 1_000);
      return undefined;
    }
    const { rows: open } = await this.db.query<{ rule: string }>(`SELECT rule FROM cityops_sensor_events WHERE state = 'raised' AND device_id = $1`, [rows[0].id]);
    return this.keep(rows[0], new Set(open.map((o) => o.rule)));
  }

  /** Counts a refusal by its code, and logs it (at most a line a second, so a flood does not flood the log). */
  private refused(error: unknown, transport: string): void {
    const code = error instanceof DomainError ? error.code : 'cityops.sensor.failed';
    this.stats.refused[code] = (this.stats.refused[code] ?? 0) + 1;
    const now = Date.now();
    if (now - this.lastLog >= 1_000) {
      this.lastLog = now;
      this.log(`sensor reading refused (${transport}): ${code}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Checks one reading against its device: known, enabled, published on its own topic, correctly signed. */
  private async check(raw: unknown, now: number, prefix: string, topicDevice: string | undefined): Promise<{ device: DeviceEntry; reading: Reading }> {
    const reading = checkReadingShape(raw, now, prefix);
    if (topicDevice !== undefined && topicDevice !== reading.device)
      throw refuse('cityops.sensor.foreign-topic', `${prefix}device`, `a reading of ${reading.device} published on the topic of ${topicDevice}`, 403);
    const known = this.devices.get(reading.device);
    const device = known && !this.stale.has(reading.device) ? known : await this.lookUp(reading.device);
    if (!device) throw refuse('cityops.sensor.unknown-device', `${prefix}device`, `no device ${reading.device}`, 401);
    if (!device.enabled) throw refuse('cityops.sensor.device-disabled', `${prefix}device`, `device ${reading.device} is disabled`, 403);
    const expected = Buffer.from(signReading(device.signingKey, reading));
    const given = Buffer.from(reading.sig);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected))
      throw refuse('cityops.sensor.bad-signature', `${prefix}sig`, 'the signature does not match the reading and the device\'s key', 401);
    return { device, reading };
  }

  /** Sequence order and rules, once the whole group is checked: nothing of a refused batch touches a device's state. */
  private admit(device: DeviceEntry, reading: Reading, receivedAt: number): Queued {
    const inOrder = reading.seq > device.lastSeq;
    let transitions: RuleTransition[] = [];
    if (inOrder) {
      device.lastSeq = reading.seq;
      transitions = evaluateReading(device.rules, device.state, reading.at, reading.value);
    }
    return { device, reading, inOrder, transitions, receivedAt };
  }

  /**
   * Takes readings (one, or a batch that is stored whole or not at all). Resolves once they are committed,
   * with each one's outcome; rejects with a DomainError naming the field (`readings[i].sig`) when any is refused.
   * `topicDevice` is the device whose topic it came on (MQTT), which must be the reading's own.
   */
  async accept(raw: unknown, options: { transport: string; topicDevice?: string; batch?: boolean } = { transport: 'http' }): Promise<ReadingOutcome[]> {
    const now = Date.now();
    const list = options.batch ? (raw as unknown[]) : [raw];
    this.stats.received += list.length;
    try {
      if (this.stopped) throw refuse('cityops.sensor.ingest-stopped', 'device', 'the platform is stopping', 503);
      if (this.queued + list.length > this.maxQueued) throw refuse('cityops.sensor.ingest-busy', 'device', 'too many readings waiting; retry', 503);
      const checked = [];
      for (let i = 0; i < list.length; i++) checked.push(await this.check(list[i], now, options.batch ? `readings[${i}].` : '', options.topicDevice));
      const items = checked.map((c) => this.admit(c.device, c.reading, now));
      return await new Promise<ReadingOutcome[]>((resolve, reject) => {
        this.queue.push({ items, resolve, reject });
        this.queued += items.length;
        if (this.queued >= this.maxBatch) void this.kick();
        else this.timer ??= setTimeout(() => void this.kick(), this.flushMs);
      });
    } catch (error) {
      this.refused(error, options.transport);
      throw error;
    }
  }

  private async kick(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) {
        if (this.queued >= this.maxBatch || this.stopped) void this.kick();
        else this.timer ??= setTimeout(() => void this.kick(), this.flushMs);
      }
    });
    await this.flushing;
  }

  /** Hands committed events to the listeners; a failing listener is logged, the flush stands. */
  private tell(events: CommittedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        this.log(`sensor event listener failed: ${String(error)}`);
      }
    }
  }

  /** Writes the groups waiting (up to maxBatch readings, whole groups) in one transaction. */
  private async flush(): Promise<void> {
    const groups: Group[] = [];
    let size = 0;
    while (this.queue.length > 0 && (size === 0 || size + this.queue[0]!.items.length <= this.maxBatch)) {
      const group = this.queue.shift()!;
      groups.push(group);
      size += group.items.length;
    }
    this.queued -= size;
    if (groups.length === 0) return;
    const items = groups.flatMap((g) => g.items);
    try {
      const { outcomes, events } = await withTransaction(this.db, (tx) => writeBatch(tx, items));
      const committedAt = Date.now();
      this.stats.flushes++;
      let at = 0;
      for (const group of groups) {
        const mine = outcomes.slice(at, at + group.items.length);
        at += group.items.length;
        for (const o of mine) this.stats[o]++;
        group.resolve(mine);
      }
      for (const e of events) this.stats[e.change === 'raised' ? 'eventsRaised' : 'eventsCleared']++;
      if (events.length > 0 && this.listeners.size > 0) this.tell(events.map((e) => ({ ...e, committedAt })));
    } catch (error) {
      this.log(`sensor readings flush failed (${items.length} readings): ${String(error)}`);
      // Memory ran ahead of the database: the devices of the batch are read again (sequence, open events).
      for (const item of items) this.devices.delete(item.device.code);
      for (const group of groups) group.reject(error);
    }
  }
}

/** What one flush writes, in one transaction: readings, devices' last-seen and connectivity, events, ledger entries. */
async function writeBatch(tx: Tx, items: Queued[]) {
  // In order: new for certain (a device's sequence only grows). Late: new or a repeat, which the insert tells.
  const fresh = items.filter((q) => q.inOrder);
  const late = items.filter((q) => !q.inOrder);
  const insert = (rows: Queued[], returning: string) => tx.query<{ d: number; s: number }>(prepared(
    `INSERT INTO cityops_sensor_readings (device_id, seq, at, value)
     SELECT r.device_id, r.seq, to_timestamp(r.at_ms / 1000.0), r.value FROM unnest($1::int[], $2::int8[], $3::float8[], $4::float8[]) AS r(device_id, seq, at_ms, value)
     ON CONFLICT DO NOTHING${returning}`,
    [rows.map((q) => q.device.id), rows.map((q) => q.reading.seq), rows.map((q) => q.reading.at), rows.map((q) => q.reading.value)]));
  if (fresh.length > 0) await insert(fresh, '');
  const lateNew = new Set<string>();
  if (late.length > 0) for (const r of (await insert(late, ' RETURNING device_id AS d, seq::float8 AS s')).rows) lateNew.add(`${r.d}/${r.s}`);
  const outcomes: ReadingOutcome[] = items.map((q) => {
    if (q.inOrder) return 'stored';
    const key = `${q.device.id}/${q.reading.seq}`;
    // The first of repeats within the batch is the one inserted.
    return lateNew.delete(key) ? 'late' : 'duplicate';
  });

  // Last seen (every reading), latest reading (the newest in order) and connectivity, per device.
  const latest = new Map<number, Queued>();
  const seen = new Map<number, number>();
  for (const q of items) {
    seen.set(q.device.id, Math.max(seen.get(q.device.id) ?? 0, q.receivedAt));
    if (q.inOrder) latest.set(q.device.id, q);
  }
  const ids = [...seen.keys()];
  const { rows: cameOnline } = await tx.query<{ code: string; was: string }>(prepared(
    `WITH s AS (SELECT * FROM unnest($1::int[], $2::float8[], $3::int8[], $4::float8[], $5::float8[]) AS s(id, seen_ms, seq, value, at_ms)),
     old AS (SELECT d.id, d.connectivity FROM cityops_sensor_devices d JOIN s ON s.id = d.id FOR UPDATE OF d)
     UPDATE cityops_sensor_devices d SET last_seen_at = greatest(d.last_seen_at, to_timestamp(s.seen_ms / 1000.0)), connectivity = 'online',
       last_seq = CASE WHEN s.seq IS NOT NULL AND s.seq > coalesce(d.last_seq, -1) THEN s.seq ELSE d.last_seq END,
       last_value = CASE WHEN s.seq IS NOT NULL AND s.seq > coalesce(d.last_seq, -1) THEN s.value ELSE d.last_value END,
       last_reading_at = CASE WHEN s.seq IS NOT NULL AND s.seq > coalesce(d.last_seq, -1) THEN to_timestamp(s.at_ms / 1000.0) ELSE d.last_reading_at END
     FROM s, old WHERE d.id = s.id AND old.id = s.id
     RETURNING d.code, old.connectivity AS was`, [
    ids, ids.map((id) => seen.get(id)!), ids.map((id) => latest.get(id)?.reading.seq ?? null), ids.map((id) => latest.get(id)?.reading.value ?? null),
    ids.map((id) => latest.get(id)?.reading.at ?? null)]));
  const ledger: LedgerEntryInput[] = cameOnline.filter((d) => d.was !== 'online').map((d) => ({
    actor: systemEntryActor, action: 'cityops.sensor.device.online', object: { type: 'sensor-device', id: d.code }, payload: { was: d.was },
  }));

  // Events, in rounds: the n-th change of each (device, rule) of the batch in round n, so raise-clear-raise keeps its order.
  const changes = items.flatMap((q) => q.transitions.map((t) => ({ q, t })));
  const rounds: (typeof changes)[] = [];
  const round = new Map<string, number>();
  for (const c of changes) {
    const key = `${c.q.device.id}/${c.t.rule.name}`;
    const n = round.get(key) ?? 0;
    round.set(key, n + 1);
    (rounds[n] ??= []).push(c);
  }
  const events: Omit<CommittedEvent, 'committedAt'>[] = [];
  const screen: ScreenMessage[] = [];
  const alarm = (id: number, c: (typeof changes)[number], place: { divisionCode: string; lon: number; lat: number }, description: string | null): ScreenMessage => ({
    type: 'alarm', change: c.t.change, id, deviceCode: c.q.device.code, rule: c.t.rule.name, divisionCode: place.divisionCode, lon: place.lon, lat: place.lat,
    description, readingAt: c.q.reading.at, at: new Date(c.q.reading.at).toISOString() });
  for (const batch of rounds) {
    const raises = batch.filter((c) => c.t.change === 'raised');
    const clears = batch.filter((c) => c.t.change === 'cleared');
    if (raises.length > 0) {
      const fields: CaseFields[] = raises.map((c) => caseFieldsOf(c.q.device, c.t, c.q.reading));
      const { rows: made } = await tx.query<{ id: string; deviceId: number; rule: string }>(
        `INSERT INTO cityops_sensor_events (device_id, rule, rule_kind, state, raised_at, raised_seq, raised_value, division_code, grid_code, lon, lat,
           component_code, case_class_code, case_kind_code, description)
         SELECT e.device_id, e.rule, e.kind, 'raised', to_timestamp(e.at_ms / 1000.0), e.seq, e.value, e.division, e.grid, e.lon, e.lat, e.component,
           e.class, e.kind_code, e.description
         FROM unnest($1::int[], $2::text[], $3::text[], $4::float8[], $5::int8[], $6::float8[], $7::text[], $8::text[], $9::float8[], $10::float8[],
           $11::text[], $12::text[], $13::text[], $14::text[])
           AS e(device_id, rule, kind, at_ms, seq, value, division, grid, lon, lat, component, class, kind_code, description)
         ON CONFLICT (device_id, rule) WHERE state = 'raised' DO NOTHING RETURNING id::text, device_id AS "deviceId", rule`,
        [raises.map((c) => c.q.device.id), raises.map((c) => c.t.rule.name), raises.map((c) => c.t.rule.kind), raises.map((c) => c.q.reading.at),
          raises.map((c) => c.q.reading.seq), raises.map((c) => c.t.measure), fields.map((f) => f.divisionCode), fields.map((f) => f.gridCode),
          fields.map((f) => f.lon), fields.map((f) => f.lat), fields.map((f) => f.componentCode), fields.map((f) => f.classCode),
          fields.map((f) => f.kindCode), fields.map((f) => f.description)]);
      // A raise that found the event open already (written by another process) inserted nothing.
      const byKey = new Map(made.map((m) => [`${m.deviceId}/${m.rule}`, m.id]));
      raises.forEach((c, i) => {
        const id = byKey.get(`${c.q.device.id}/${c.t.rule.name}`);
        if (id === undefined) return;
        const f = fields[i]!;
        ledger.push({ actor: systemEntryActor, action: 'cityops.sensor.event.raised', object: { type: 'sensor-event', id },
          payload: { device: c.q.device.code, rule: c.t.rule.name, seq: c.q.reading.seq, at: new Date(c.q.reading.at).toISOString(), measure: c.t.measure, ...f } });
        events.push({ id: Number(id), deviceCode: c.q.device.code, rule: c.t.rule.name, change: 'raised', readingAt: c.q.reading.at, receivedAt: c.q.receivedAt });
        screen.push(alarm(Number(id), c, f, f.description));
      });
    }
    if (clears.length > 0) {
      const { rows } = await tx.query<{ id: string; deviceId: number; rule: string }>(
        `UPDATE cityops_sensor_events e SET state = 'cleared', cleared_at = to_timestamp(c.at_ms / 1000.0), cleared_seq = c.seq, cleared_value = c.value
         FROM unnest($1::int[], $2::text[], $3::float8[], $4::int8[], $5::float8[]) AS c(device_id, rule, at_ms, seq, value)
         WHERE e.device_id = c.device_id AND e.rule = c.rule AND e.state = 'raised'
         RETURNING e.id::text, e.device_id AS "deviceId", e.rule`,
        [clears.map((c) => c.q.device.id), clears.map((c) => c.t.rule.name), clears.map((c) => c.q.reading.at), clears.map((c) => c.q.reading.seq),
          clears.map((c) => c.t.measure)]);
      const byKey = new Map(rows.map((m) => [`${m.deviceId}/${m.rule}`, m.id]));
      for (const c of clears) {
        const id = byKey.get(`${c.q.device.id}/${c.t.rule.name}`);
        if (id === undefined) continue;
        ledger.push({ actor: systemEntryActor, action: 'cityops.sensor.event.cleared', object: { type: 'sensor-event', id },
          payload: { device: c.q.device.code, rule: c.t.rule.name, seq: c.q.reading.seq, at: new Date(c.q.reading.at).toISOString(), measure: c.t.measure } });
        events.push({ id: Number(id), deviceCode: c.q.device.code, rule: c.t.rule.name, change: 'cleared', readingAt: c.q.reading.at, receivedAt: c.q.receivedAt });
        screen.push(alarm(Number(id), c, c.q.device.place, null));
      }
    }
  }
  if (ledger.length > 0) await appendToLedger(tx, ledger);
  await notifyScreen(tx, screen);
  return { outcomes, events };
}
