/** Prints one figure as a JSON line, the format every benchmark here uses. */
export function report(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, ...extra }));
}
