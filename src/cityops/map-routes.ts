/** 一张图 (the one map): vector tiles of the city-operations layers, under /api/v1/cityops/tiles. */
import Type from 'typebox';
import type { App } from '../kernel/http/index.ts';
import { mapLayers, mapTile } from './map.ts';

const Slug = (pattern: string) => Type.Optional(Type.String({ maxLength: 40, pattern }));

export async function cityopsMapRoutes(app: App) {
  app.get('/tiles/:layer/:z/:x/:y.mvt', {
    schema: { tags: ['cityops'], summary: '一张图: one layer\'s vector tile (Mapbox Vector Tile), scoped to the caller and filtered; '
      + 'single points from zoom 14, counts per cell (`count`) below',
    params: Type.Object({ layer: Type.Union(mapLayers.map((l) => Type.Literal(l))), z: Type.Integer({ minimum: 0, maximum: 22 }),
      x: Type.Integer({ minimum: 0 }), y: Type.Integer({ minimum: 0 }) }),
    querystring: Type.Object({
      kind: Slug('^[A-Za-z0-9_-]+$'), state: Slug('^[a-z-]+$'), source: Slug('^[a-z-]+$'),
      from: Type.Optional(Type.String({ format: 'date-time', description: 'cases reported, tickets received at or after' })),
      to: Type.Optional(Type.String({ format: 'date-time', description: 'and before' })),
    }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const { from, to, ...filter } = req.query;
    const tile = await mapTile(app.db, req.actor, req.params.layer, { z: req.params.z, x: req.params.x, y: req.params.y },
      { ...filter, from: from === undefined ? undefined : new Date(from), to: to === undefined ? undefined : new Date(to) });
    // The caller's own view of their jurisdiction: a browser may keep it a minute, no shared cache may.
    return reply.type('application/vnd.mapbox-vector-tile').header('cache-control', 'private, max-age=60').header('vary', 'cookie')
      .send(Buffer.from(tile.buffer, tile.byteOffset, tile.byteLength));
  });
}
