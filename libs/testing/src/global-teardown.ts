import type { NatsHandle, PostgresHandle } from '../../../tools/infra/local-infra';

export default async function globalTeardown(): Promise<void> {
  const handles = (globalThis as { __pingtreeInfra?: Array<NatsHandle | PostgresHandle> }).__pingtreeInfra ?? [];
  await Promise.all(handles.filter((h) => h.started).map((h) => h.stop()));
}
