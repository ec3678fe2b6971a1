import { useState } from 'react';
import { App, type FormInstance } from 'antd';
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

/** The server's localized title of a problem, or the error's text. */
export const problemText = (error: unknown) => (error instanceof ApiProblem ? error.title : String(error));

/**
 * A form's submission: `saving` while the work runs. A failure goes next to the form field it names when the
 * form and its `fields` are given and list it, else into a message with the server's localized title;
 * `onProblem` sees a failure first and returns true when it showed it itself.
 */
export function useSaving(): {
  saving: boolean;
  whileSaving: (work: () => Promise<void>, on?: { form?: FormInstance; fields?: readonly string[]; onProblem?: (error: unknown) => boolean }) => Promise<void>;
} {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const whileSaving = async (work: () => Promise<void>, on: { form?: FormInstance; fields?: readonly string[]; onProblem?: (error: unknown) => boolean } = {}) => {
    setSaving(true);
    try {
      await work();
    } catch (error) {
      if (on.onProblem?.(error) || (on.form && on.fields && showProblemOnField(on.form, error, on.fields))) return;
      void message.error(problemText(error));
    } finally {
      setSaving(false);
    }
  };
  return { saving, whileSaving };
}
