/** The services API's shapes as the console reads them: the generated API types, under the names the pages use. */
import type { ApiItem, ApiResponse } from '../api';

export type ItemSummary = ApiItem<'/services/items'>;

/**
 * An item's application form: a JSON Schema its administrator wrote, which the API passes through as saved.
 * This is the part of JSON Schema the console's form renders.
 */
export interface FormSchema {
  type: 'object';
  required?: string[];
  properties: Record<string, { type?: string; title?: string; enum?: string[]; pattern?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number }>;
}

type WithForm<T extends { formSchema: unknown }> = Omit<T, 'formSchema'> & { formSchema: FormSchema | null };

export type Item = WithForm<ApiResponse<'/services/items/{id}'>>;
type ApplicationAnswer = ApiResponse<'/services/applications/{id}'>;
export type Application = Omit<ApplicationAnswer, 'item'> & { item: WithForm<ApplicationAnswer['item']> };
export type ApplicationRow = ApiItem<'/services/applications'>;
