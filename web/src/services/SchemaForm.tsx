import { Form, Input, InputNumber, Select, Switch, Tag, type FormInstance } from 'antd';
import type { Rule } from 'antd/es/form';
import { useTranslation } from 'react-i18next';
import type { FormSchema } from './types';

/**
 * The fields of an item's JSON Schema form as antd form items, with the schema's own limits as rules;
 * the server validates again with the same schema. Prefilled fields say where their value came from.
 */
export function SchemaFields({ schema, prefilled, sources = {}, disabled }: {
  schema: FormSchema; prefilled: string[]; sources?: Record<string, { resourceName: string; department: string }>; disabled?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {Object.entries(schema.properties).map(([name, field]) => {
        const rules: Rule[] = [];
        if (schema.required?.includes(name)) rules.push({ required: true });
        if (field.pattern) rules.push({ pattern: new RegExp(field.pattern) });
        if (field.minLength) rules.push({ min: field.minLength });
        if (field.maxLength) rules.push({ max: field.maxLength });
        const label = (
          <span>
            {field.title ?? name}
            {prefilled.includes(name) && (
              <Tag color="green" style={{ marginInlineStart: 8 }}>
                {sources[name] ? t('services.app.prefilledFrom', sources[name]) : t('services.app.prefilled')}
              </Tag>
            )}
          </span>
        );
        const control = field.enum
          ? <Select options={field.enum.map((v) => ({ value: v, label: v }))} />
          : field.type === 'integer' || field.type === 'number'
            ? <InputNumber min={field.minimum} max={field.maximum} style={{ width: '100%' }} />
            : field.type === 'boolean'
              ? <Switch />
              : (field.maxLength ?? 0) > 100 ? <Input.TextArea rows={3} /> : <Input />;
        return (
          <Form.Item key={name} name={name} label={label} rules={rules} valuePropName={field.type === 'boolean' ? 'checked' : 'value'}>
            {disabled ? <Input disabled /> : control}
          </Form.Item>
        );
      })}
    </>
  );
}

/** Puts a server error naming `form.<field>` on that field; false when it names none of them. */
export function showFormProblem(form: FormInstance, field: string | undefined, message: string): boolean {
  if (!field?.startsWith('form.')) return false;
  form.setFields([{ name: field.slice(5), errors: [message] }]);
  return true;
}
