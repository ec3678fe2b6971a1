/**
 * Application forms are JSON Schema (draft 2020-12 subset that ajv knows), edited by an admin per item.
 * One ajv instance checks both that a schema is a schema and that a form meets it; compiled validators
 * are kept per schema text (and per schema object), since every submission of an item uses the same one.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { DomainError } from '../kernel/errors.ts';

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats.default(ajv);

const compiled = new Map<string, ValidateFunction>();
// The same schema object (a cached item's) finds its validator without serialising the schema again.
const bySchema = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = bySchema.get(schema);
  if (validate) return validate;
  const key = JSON.stringify(schema);
  validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, validate);
  }
  bySchema.set(schema, validate);
  return validate;
}

/** Refuses a form schema that is not a JSON Schema object with properties (the form needs fields to show). */
export function checkFormSchema(schema: unknown, field = 'formSchema'): void {
  if (schema === null || schema === undefined) return;
  if (typeof schema !== 'object' || Array.isArray(schema) || (schema as { type?: unknown }).type !== 'object'
    || typeof (schema as { properties?: unknown }).properties !== 'object')
    throw new DomainError('services.form-schema-invalid', { field }, 'a form schema is an object schema with properties');
  try {
    validatorFor(schema);
  } catch (error) {
    throw new DomainError('services.form-schema-invalid', { field }, (error as Error).message);
  }
}

/** The form field an ajv error is about, as `form.<path>`. */
function fieldOf(error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter(Boolean);
  const missing = (error.params as { missingProperty?: string; additionalProperty?: string });
  const leaf = missing.missingProperty ?? missing.additionalProperty;
  if (leaf) parts.push(leaf);
  return ['form', ...parts].join('.');
}

/** Throws 400 naming the first field of `form` that does not meet `schema`. */
export function validateForm(schema: object, form: unknown): void {
  const validate = validatorFor(schema);
  if (validate(form)) return;
  const error = validate.errors![0]!;
  throw new DomainError('services.form-invalid', { field: fieldOf(error) }, `${fieldOf(error)}: ${error.message ?? 'invalid'}`);
}
