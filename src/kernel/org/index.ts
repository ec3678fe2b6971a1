import type { Queryable } from '../db/index.ts';

export interface Department {
  id: number;
  code: string;
  name: string;
  shortName: string | null;
  kind: string;
  divisionCode: string;
  parentId: number | null;
}

export const departmentColumns =
  'id, code, name, short_name AS "shortName", kind, division_code AS "divisionCode", parent_id AS "parentId"';

export async function findDepartment(db: Queryable, id: number): Promise<Department | null> {
  const { rows } = await db.query<Department>(`SELECT ${departmentColumns} FROM departments WHERE id = $1`, [id]);
  return rows[0] ?? null;
}
