export function money(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `$${value.toFixed(2)}`;
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${Math.round(value * 10) / 10} ms`;
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined || Number.isNaN(rate) ? '–' : `${Math.round(rate * 1000) / 10}%`;
}

export function time(iso: string | number | null | undefined): string {
  if (iso === null || iso === undefined) return '–';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** `datetime-local` input value ↔ ISO instant. */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const local = new Date(d.getTime() - d.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}

export function fromLocalInput(value: string): string | undefined {
  return value ? new Date(value).toISOString() : undefined;
}

export function json(value: unknown): string {
  return value === undefined ? '(none)' : JSON.stringify(value);
}
