import { Alert, Flex, Form, Input, InputNumber, Modal, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api';
import { useSaving } from '../problemFields';

export interface Decision {
  /** The dialog's title: the act and its object, e.g. 不予受理 · 临时救助申请. */
  title: string;
  /** What will happen, said before it happens (that it cannot be undone, who is told). */
  consequence: string;
  /** The confirming button's label (the act's name). */
  okText: string;
  /** A refusal, a revocation: red, and its reason is required. */
  danger?: boolean;
  /** The field the reason goes in, as the API names it (for its field errors); none: the act takes no text. */
  reasonField?: string;
  /** Whether the act may go without a reason (an approval's optional note). */
  reasonOptional?: boolean;
  /** Common reasons offered with a click; the text can then be edited. */
  reasons?: string[];
  /** An amount the act sets (a benefit paid, a fee): entered in 元 with two decimals, passed to `run` in 分; its label and the API's field. */
  amount?: { label: string; field: string };
  /** Does the act; a problem naming `reasonField` (or the amount's field) is shown under that field. */
  run: (reason: string, amountFen?: number) => Promise<void>;
}

/**
 * The confirmation every irreversible act goes through: says what will happen, takes the reason in a field
 * of its own (common reasons one click away) and only then acts.
 */
export function ConfirmDecision({ decision, onClose }: { decision: Decision; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string; amount?: number }>();
  const { saving: busy, whileSaving } = useSaving();
  const field = decision.reasonField;
  const chosen = Form.useWatch('reason', form);
  const submit = ({ reason, amount }: { reason?: string; amount?: number }) => whileSaving(async () => {
    // 元 with two decimals to whole 分, rounded so that 0.1 + 0.2 is 30 分.
    await decision.run(reason?.trim() ?? '', amount === undefined || amount === null ? undefined : Math.round(amount * 100));
    onClose();
  }, {
    // The API names the field it refuses: a missing reason shows under the reason, a refused amount under the amount.
    onProblem: (error) => {
      if (!(error instanceof ApiProblem)) return false;
      const name = field !== undefined && error.field === field ? 'reason' : decision.amount && error.field === decision.amount.field ? 'amount' : null;
      if (name) form.setFields([{ name, errors: [error.title] }]);
      return name !== null;
    },
  });
  return (
    <Modal open title={decision.title} okText={decision.okText} cancelText={t('confirm.cancel')} onCancel={onClose} onOk={() => form.submit()}
      okButtonProps={{ danger: decision.danger, loading: busy }} destroyOnHidden data-testid="confirm-decision">
      <Alert type={decision.danger ? 'warning' : 'info'} showIcon title={decision.consequence} style={{ marginBottom: 16 }} />
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        {decision.amount && (
          <Form.Item name="amount" label={`${decision.amount.label}（${t('confirm.yuan')}）`}
            rules={[{ required: true, message: t('confirm.amountRequired') }]}>
            <InputNumber min={0} max={10_000_000} precision={2} step={100} style={{ width: 200 }} />
          </Form.Item>
        )}
        {field !== undefined && (
          <>
            {decision.reasons && decision.reasons.length > 0 && (
              <Flex wrap gap={6} style={{ marginBottom: 8 }}>
                <Typography.Text type="secondary">{t('confirm.common')}</Typography.Text>
                {decision.reasons.map((r) => (
                  <Tag.CheckableTag key={r} checked={chosen === r} onChange={() => form.setFieldValue('reason', r)}>{r}</Tag.CheckableTag>
                ))}
              </Flex>
            )}
            <Form.Item name="reason" label={decision.reasonOptional ? t('confirm.note') : t('confirm.reason')}
              rules={decision.reasonOptional ? [] : [{ required: true, whitespace: true, message: t('confirm.reasonRequired') }]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
