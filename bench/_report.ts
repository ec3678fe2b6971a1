import { createHash } from 'node:crypto';
import os from 'node:os';

let calibrated = false;

/**
 * Prints one figure as a JSON line, the format every benchmark here uses. The first figure of a run comes
 * after the machine's calibration line.
 */
export function report(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  if (!calibrated) {
    calibrated = true;
    reportCalibration();
  }
  console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, ...extra }));
}

/**
 * The time of a fixed SHA-256 loop on one core, printed once per benchmark with the load average, so that
 * figures from two machines (or one machine at two loads) can be compared: CPU per operation scales roughly
 * with it.
 */
function reportCalibration(): void {
  let digest = Buffer.alloc(32);
  const started = process.cpuUsage();
  for (let i = 0; i < 200_000; i++) digest = createHash('sha256').update(digest).digest();
  const used = process.cpuUsage(started);
  report('machine.calibration.sha256_200k', (used.user + used.system) / 1000, 'ms cpu', { load: os.loadavg()[0]!.toFixed(2) });
}
