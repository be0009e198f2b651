import { RequestMethod, type Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';

export interface Route {
  method: keyof typeof RequestMethod;
  /** With Nest's placeholders, e.g. `/v1/admin/trees/:id/versions/:version/rollback`. */
  path: string;
}

const join = (...parts: string[]) =>
  `/${parts
    .flatMap((p) => p.split('/'))
    .filter((p) => p !== '')
    .join('/')}`;

/**
 * Every route the controllers declare, read from Nest's own metadata: a fuzz suite built on this
 * list covers an endpoint added tomorrow without anyone remembering to list it.
 */
export function controllerRoutes(controllers: ReadonlyArray<Type<unknown>>): Route[] {
  const routes: Route[] = [];
  for (const controller of controllers) {
    const bases = [Reflect.getMetadata(PATH_METADATA, controller) as string | string[] | undefined].flat();
    for (const name of Object.getOwnPropertyNames(controller.prototype)) {
      const handler = (controller.prototype as Record<string, unknown>)[name];
      if (typeof handler !== 'function') continue;
      const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (paths === undefined || method === undefined) continue;
      for (const base of bases) {
        for (const path of [paths].flat()) {
          routes.push({ method: RequestMethod[method] as Route['method'], path: join(base ?? '', path) });
        }
      }
    }
  }
  return routes;
}
