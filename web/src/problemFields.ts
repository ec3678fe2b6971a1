import type { FormInstance } from 'antd';
import { ApiProblem } from './api';

/**
 * Puts a server error next to the form field it names (problem `field`), and returns false when the
 * error names no field of this form, so the caller shows it elsewhere.
 */
export function showProblemOnField(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  if (!(error instanceof ApiProblem) || !error.field || !fields.includes(error.field)) return false;
  form.setFields([{ name: error.field, errors: [error.detail && error.code === 'validation' ? `${error.title}: ${error.detail}` : error.title] }]);
  return true;
}
