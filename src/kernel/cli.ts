/** Helpers the modules' command-line commands share (each module adds its commands through its manifest). */
import { StartupError } from './errors.ts';
import type { Command } from 'commander';

export const printJson = (value: unknown) => console.log(JSON.stringify(value, null, 2));

/** A commander argument parser for a whole number, failing with one clear line. */
export const wholeNumber = (name: string) => (v: string) => {
  if (!/^\d+$/.test(v)) throw new StartupError(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};

/**
 * Ends a verification with exit status 2 and one summary line when it found tampering, so a cron job or a
 * monitor alarms. Set explicitly: the embedded database's exit hook would otherwise end the process with 0.
 */
export function failVerification(line: string): never {
  console.error(line);
  process.exit(2);
}

/** Lists ids, the first ten and the count when there are more. */
export const listed = (ids: readonly string[]) => (ids.length > 10 ? `${ids.slice(0, 10).join(', ')} … (${ids.length})` : ids.join(', '));

/** The command `name` of `program`, for a module adding a subcommand to another module's command (e.g. `ledger`). */
export function commandNamed(program: Command, name: string): Command {
  const found = program.commands.find((c) => c.name() === name);
  if (!found) throw new Error(`no command "${name}": the module that adds it comes earlier in src/modules.ts`);
  return found;
}
