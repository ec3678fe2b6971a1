// A PostgreSQL server of a test's own, to kill: never the shared test server.
import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

export const freePort = () => new Promise<number>((resolve) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address() as net.AddressInfo;
    server.close(() => resolve(port));
  });
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const exists = (pid: number) => fs.stat(`/proc/${pid}`).then(() => true, () => false); // no such process

/** SIGKILL to the postmaster of `clusterDir` and every backend it forked, as a crash or an OOM kill would do; returns the postmaster's pid. */
export async function killPostgres(clusterDir: string): Promise<number> {
  const postmaster = Number((await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children: number[] = [];
  for (const entry of await fs.readdir('/proc')) {
    const stat = await fs.readFile(`/proc/${entry}/stat`, 'utf8').catch(() => ''); // not a process, or one that has just exited
    if (stat && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) children.push(Number(entry));
  }
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      // A backend may exit by itself between the listing and its kill (one that had finished its work).
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
  for (const pid of [postmaster, ...children]) while (await exists(pid)) await sleep(20);
  return postmaster;
}
