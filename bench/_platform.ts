// The platform as a child process for benchmarks: `yiwang start` on its own data directory and ports.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const demoPassword = 'Yiwang@2026';

export interface Platform {
  base: string;
  dataDir: string;
  child: ChildProcess;
  login(username: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the platform with the demo city in `data/<name>` and waits until it is ready. */
export async function startPlatform(name: string, port: number, pgPort: number): Promise<Platform> {
  const dataDir = path.join(root, 'data', name);
  const env = { ...process.env, YIWANG_DATA_DIR: dataDir, PORT: String(port), YIWANG_PG_PORT: String(pgPort), DATABASE_URL: '' };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli.ts'), 'start'], { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes('is ready at')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`start exited with ${code}: ${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base, dataDir, child,
    async login(username) {
      const res = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: demoPassword }),
      });
      if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
      return res.headers.get('set-cookie')!.split(';')[0]!;
    },
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.removeAllListeners('exit');
      child.on('exit', () => resolve());
      child.kill('SIGINT');
    }),
  };
}
