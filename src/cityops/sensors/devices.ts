/**
 * 感知设备登记: the device registry. A device has a code (its name on the wire), a type, a place (or the
 * component 部件 it is mounted on), and a secret shown once: the platform keeps the secret's scrypt hash (the
 * MQTT password of the embedded broker) and the key readings are signed with, derived from the secret
 * (`signingKeyOf`). Registering, disabling, enabling and rotating the secret are each a ledger entry.
 */
import crypto from 'node:crypto';
import type { Actor, Ctx } from '../../kernel/auth/index.ts';
import { assertCan, hashPassword, inJurisdiction } from '../../kernel/auth/index.ts';
import type { Queryable } from '../../kernel/db/index.ts';
import { DomainError } from '../../kernel/errors.ts';
import { appendToLedger } from '../../kernel/ledger/index.ts';
import { gridAt } from '../../kernel/org/index.ts';
import { sensorActions } from './policy.ts';
import { findSensorType } from './types.ts';
import { containsPattern } from '../../kernel/like.ts';

/** What the device signs with: HMAC-SHA256 keyed by its secret over this label. Devices compute the same. */
export function signingKeyOf(secret: string): Buffer {
  return crypto.createHmac('sha256', secret).update('yiwang/sensor-reading/v1').digest();
}

/** A fresh device secret: 32 random bytes, base64url. */
export const newDeviceSecret = () => crypto.randomBytes(32).toString('base64url');

export type Connectivity = 'never' | 'online' | 'offline';

export interface Device {
  id: number;
  code: string;
  typeCode: string;
  name: string;
  divisionCode: string;
  gridCode: string | null;
  lon: number;
  lat: number;
  componentCode: string | null;
  enabled: boolean;
  connectivity: Connectivity;
  lastSeenAt: Date | null;
  lastSeq: number | null;
  lastValue: number | null;
  lastReadingAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export const deviceColumns = `d.id, d.code, d.type_code AS "typeCode", d.name, d.division_code AS "divisionCode", d.grid_code AS "gridCode",
  d.lon, d.lat, d.component_code AS "componentCode", d.enabled, d.connectivity, d.last_seen_at AS "lastSeenAt", d.last_seq::float8 AS "lastSeq",
  d.last_value AS "lastValue", d.last_reading_at AS "lastReadingAt", d.created_at AS "createdAt", d.updated_at AS "updatedAt"`;

export interface RegisterDevice {
  code: string;
  typeCode: string;
  name?: string;
  /** Mounted on this component: the device takes its place unless lon/lat are given. */
  componentCode?: string | null;
  lon?: number;
  lat?: number;
}

const notFound = (code: string) => new DomainError('cityops.sensor.device-not-found', { status: 404 }, `no device ${code}`);

async function readDevice(db: Queryable, code: string, lock = false): Promise<Device | undefined> {
  const { rows } = await db.query<Device>(`SELECT ${deviceColumns} FROM cityops_sensor_devices d WHERE d.code = $1${lock ? ' FOR UPDATE' : ''}`, [code]);
  return rows[0];
}

/** Where a device is: its component's place (and division) or the point given, placed in its grid. */
async function placeOf(ctx: Ctx, input: RegisterDevice) {
  let lon = input.lon;
  let lat = input.lat;
  let divisionCode: string | null = null;
  const componentCode = input.componentCode ?? null;
  if (componentCode !== null) {
    const { rows } = await ctx.tx.query<{ lon: number; lat: number; divisionCode: string }>(
      'SELECT lon, lat, division_code AS "divisionCode" FROM cityops_components WHERE code = $1', [componentCode]);
    const component = rows[0];
    if (!component || !ctx.actor.jurisdiction.covers(component.divisionCode))
      throw new DomainError('cityops.sensor.unknown-component', { field: 'componentCode' }, `no component ${componentCode}`);
    lon ??= component.lon;
    lat ??= component.lat;
    divisionCode = component.divisionCode;
  }
  if (lon === undefined || !Number.isFinite(lon) || lon < -180 || lon > 180)
    throw new DomainError('cityops.sensor.bad-location', { field: 'lon' }, 'a longitude, or a component to take the place of');
  if (lat === undefined || !Number.isFinite(lat) || lat < -90 || lat > 90)
    throw new DomainError('cityops.sensor.bad-location', { field: 'lat' }, 'a latitude, or a component to take the place of');
  const grid = await gridAt(ctx.tx, lon, lat);
  divisionCode = grid?.divisionCode ?? divisionCode;
  if (divisionCode === null) throw new DomainError('cityops.sensor.outside-grids', { field: 'lon' }, 'the point lies in no grid of the city');
  return { lon, lat, divisionCode, gridCode: grid?.code ?? null, componentCode };
}

/**
 * 设备登记: registers a device and returns it with its secret, which is shown this once (only its hash and the
 * derived signing key are kept).
 */
export async function registerDevice(ctx: Ctx, input: RegisterDevice & { secret?: string }): Promise<Device & { secret: string }> {
  assertCan(ctx.actor, sensorActions.manage);
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,39}$/.test(input.code))
    throw new DomainError('cityops.sensor.bad-device-code', { field: 'code' }, 'a device code is 3 to 40 letters, digits, _ or -');
  const type = await findSensorType(ctx.tx, input.typeCode);
  if (!type) throw new DomainError('cityops.sensor.unknown-type', { field: 'typeCode' }, `no device type ${input.typeCode}`);
  const place = await placeOf(ctx, input);
  assertCan(ctx.actor, sensorActions.manage, place);
  const secret = input.secret ?? newDeviceSecret();
  const { rowCount } = await ctx.tx.query(
    `INSERT INTO cityops_sensor_devices (code, type_code, name, division_code, grid_code, lon, lat, component_code, secret_hash, signing_key,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT (code) DO NOTHING`,
    [input.code, type.code, (input.name ?? '').trim(), place.divisionCode, place.gridCode, place.lon, place.lat, place.componentCode,
      await hashPassword(secret), signingKeyOf(secret), ctx.now]);
  if (rowCount !== 1) throw new DomainError('cityops.sensor.device-code-taken', { status: 409, field: 'code' }, `device ${input.code} exists`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.sensor.device.registered', object: { type: 'sensor-device', id: input.code },
    payload: { code: input.code, typeCode: type.code, name: input.name ?? '', ...place }, at: ctx.now });
  return { ...(await readDevice(ctx.tx, input.code))!, secret };
}

async function deviceInScope(ctx: Ctx, code: string): Promise<Device> {
  const device = await readDevice(ctx.tx, code, true);
  if (!device || !ctx.actor.jurisdiction.covers(device.divisionCode)) throw notFound(code);
  assertCan(ctx.actor, sensorActions.manage, device);
  return device;
}

/** 停用 / 启用: a disabled device's readings and connections are refused until it is enabled again. */
export async function setDeviceEnabled(ctx: Ctx, input: { code: string; enabled: boolean; reason?: string }): Promise<Device> {
  const device = await deviceInScope(ctx, input.code);
  if (device.enabled === input.enabled) return device;
  await ctx.tx.query('UPDATE cityops_sensor_devices SET enabled = $2, updated_at = $3 WHERE id = $1', [device.id, input.enabled, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: input.enabled ? 'cityops.sensor.device.enabled' : 'cityops.sensor.device.disabled',
    object: { type: 'sensor-device', id: device.code }, payload: { reason: input.reason ?? '' }, at: ctx.now });
  return (await readDevice(ctx.tx, device.code))!;
}

/** 更换密钥: a new secret, shown once; the old one stops working at once (connections and signatures). */
export async function rotateDeviceSecret(ctx: Ctx, input: { code: string }): Promise<Device & { secret: string }> {
  const device = await deviceInScope(ctx, input.code);
  const secret = newDeviceSecret();
  await ctx.tx.query('UPDATE cityops_sensor_devices SET secret_hash = $2, signing_key = $3, updated_at = $4 WHERE id = $1',
    [device.id, await hashPassword(secret), signingKeyOf(secret), ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.sensor.device.secret-rotated', object: { type: 'sensor-device', id: device.code },
    payload: {}, at: ctx.now });
  return { ...(await readDevice(ctx.tx, device.code))!, secret };
}

export interface DeviceFilter {
  typeCode?: string;
  connectivity?: Connectivity;
  enabled?: boolean;
  q?: string;
}

/** A page of the devices in the jurisdiction, with last-seen, state and latest reading; in code order. */
export async function listDevices(db: Queryable, actor: Actor, query: DeviceFilter & { page: number; pageSize: number }) {
  assertCan(actor, sensorActions.read);
  const params: unknown[] = [];
  const conditions = [inJurisdiction('d.division_code', actor.jurisdiction, params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(params.length));
  };
  if (query.typeCode) add((n) => `d.type_code = $${n}`, query.typeCode);
  if (query.connectivity) add((n) => `d.connectivity = $${n}`, query.connectivity);
  if (query.enabled !== undefined) add((n) => `d.enabled = $${n}`, query.enabled);
  if (query.q) add((n) => `(d.code ILIKE $${n} OR d.name ILIKE $${n})`, containsPattern(query.q));
  const where = conditions.join(' AND ');
  const [{ rows: count }, { rows: items }] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cityops_sensor_devices d WHERE ${where}`, params),
    db.query<Device>(`SELECT ${deviceColumns} FROM cityops_sensor_devices d WHERE ${where} ORDER BY d.code
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, params),
  ]);
  return { total: count[0]!.n, items };
}

/** One device; 404 also outside the reader's jurisdiction. */
export async function getDevice(db: Queryable, actor: Actor, code: string): Promise<Device> {
  assertCan(actor, sensorActions.read);
  const device = await readDevice(db, code);
  if (!device || !actor.jurisdiction.covers(device.divisionCode)) throw notFound(code);
  return device;
}
