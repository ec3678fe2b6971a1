import { useState } from 'react';
import { App, Checkbox, Form, Input, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { Department, StaffMember } from '../org';
import { problemText, showProblemOnField } from '../problemFields';
import { staffRoles } from '../roles';
import { useSession, type Role } from '../session';
import { DepartmentSelect } from './DepartmentSelect';

interface StaffValues {
  username: string;
  displayName: string;
  password: string;
  departmentId: number;
  roles: Role[];
  phone?: string;
  disabled: boolean;
}

const staffFields = ['username', 'displayName', 'password', 'departmentId', 'roles', 'phone', 'disabled'];

/**
 * Adds a staff member (no `member`) or changes one. Errors the server ties to a field appear under
 * that field; anything else as a message.
 */
export function StaffForm({ member, departments, defaultDepartmentId, onClose, onSaved }: {
  member?: StaffMember;
  departments: Department[] | undefined;
  defaultDepartmentId?: number;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<StaffValues>();
  const [busy, setBusy] = useState(false);

  async function save(values: StaffValues) {
    setBusy(true);
    try {
      const phone = values.phone?.trim() ?? '';
      if (member) {
        await api('PATCH', `/users/${member.id}`, {
          displayName: values.displayName, departmentId: values.departmentId, roles: values.roles, disabled: values.disabled,
          // The phone is shown only to those who manage the user; send it back only if it was shown.
          ...(member.phone !== undefined ? { phone } : {}),
        });
      } else {
        await api('POST', '/users', {
          username: values.username, displayName: values.displayName, password: values.password,
          departmentId: values.departmentId, roles: values.roles, ...(phone ? { phone } : {}),
        });
      }
      void message.success(t('common.saved'));
      onSaved();
    } catch (error) {
      if (!showProblemOnField(form, error, staffFields)) void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={member ? t('staff.edit', { name: member.displayName }) : t('staff.create')} onCancel={onClose}
      onOk={() => form.submit()} confirmLoading={busy} okText={t('common.save')} destroyOnHidden>
      <Form<StaffValues> form={form} layout="vertical" onFinish={(values) => void save(values)} name={member ? 'staff-edit' : 'staff-create'}
        initialValues={member
          ? { displayName: member.displayName, departmentId: member.departmentId, roles: member.roles, phone: member.phone ?? '', disabled: member.disabled }
          : { departmentId: defaultDepartmentId, roles: ['officer'], disabled: false }}>
        {!member && (
          <Form.Item name="username" label={t('staff.username')} extra={t('staff.usernameRule')}
            rules={[{ required: true, message: t('staff.usernameRequired') }]}>
            <Input autoComplete="off" maxLength={40} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t('staff.displayName')} rules={[{ required: true, whitespace: true, message: t('staff.displayNameRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
        {!member && (
          <Form.Item name="password" label={t('staff.password')} extra={t('staff.passwordRule')}
            rules={[{ required: true, message: t('staff.passwordRequired') }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="departmentId" label={t('staff.department')} rules={[{ required: true, message: t('staff.departmentRequired') }]}>
          <DepartmentSelect departments={departments} />
        </Form.Item>
        <Form.Item name="roles" label={t('staff.roles')} rules={[{ required: true, type: 'array', min: 1, message: t('staff.rolesRequired') }]}>
          <Checkbox.Group options={staffRoles.map((role) => ({ value: role, label: t(`roles.${role}`) }))} />
        </Form.Item>
        {(!member || member.phone !== undefined) && (
          <Form.Item name="phone" label={t('staff.phone')}>
            <Input maxLength={20} inputMode="tel" />
          </Form.Item>
        )}
        {member && (
          <Form.Item name="disabled" label={t('staff.disabled')} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/**
 * Sets a new password for a staff member; the server ends their sessions. Users changing their own give the
 * current password too, which the server requires.
 */
export function PasswordForm({ member, onClose }: { member: StaffMember; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { user } = useSession();
  const self = user?.kind === 'staff' && user.id === String(member.id);
  const [form] = Form.useForm<{ password: string; currentPassword?: string }>();
  const [busy, setBusy] = useState(false);

  async function save({ password, currentPassword }: { password: string; currentPassword?: string }) {
    setBusy(true);
    try {
      await api('PUT', `/users/${member.id}/password`, self ? { password, currentPassword } : { password });
      void message.success(t('staff.passwordReset', { name: member.displayName }));
      onClose();
    } catch (error) {
      if (!showProblemOnField(form, error, ['password', 'currentPassword'])) void message.error(problemText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal open title={self ? t('staff.changeOwnPassword') : t('staff.resetPasswordOf', { name: member.displayName })} onCancel={onClose}
      onOk={() => form.submit()} confirmLoading={busy} okText={t('common.save')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(values) => void save(values)}>
        {self && (
          <Form.Item name="currentPassword" label={t('staff.currentPassword')} rules={[{ required: true, message: t('staff.currentPasswordRequired') }]}>
            <Input.Password autoComplete="current-password" />
          </Form.Item>
        )}
        <Form.Item name="password" label={t('staff.newPassword')} extra={t('staff.passwordRule')}
          rules={[{ required: true, message: t('staff.passwordRequired') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
