import { useState } from 'react';
import { Button, Flex, Tag, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/** A date and time in China time. */
export const chinaTime = (iso: string | null | undefined, language: string) =>
  iso ? new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '—';
export const chinaDate = (iso: string | null | undefined, language: string) =>
  iso ? new Intl.DateTimeFormat(language, { timeZone: 'Asia/Shanghai', dateStyle: 'medium' }).format(new Date(iso)) : '—';

/** The deadline, red with a tag when it has passed. */
export function Due({ due, overdue }: { due: string; overdue: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <span className={overdue ? 'supervision-overdue' : undefined} style={overdue ? { color: '#cf1322' } : undefined}>
      {chinaDate(due, i18n.language)}
      {overdue && <Tag color="error" style={{ marginInlineStart: 6 }}>{t('supervision.overdue')}</Tag>}
    </span>
  );
}

const stateColor: Record<string, string> = {
  registered: 'default', analysed: 'blue', rectifying: 'processing', review: 'warning', accepted: 'cyan', closed: 'success',
  assigned: 'processing', reported: 'warning',
};

export function StateTag({ state, of }: { state: string; of: 'problem' | 'task' }) {
  const { t } = useTranslation();
  return <Tag color={stateColor[state]}>{t(`supervision.${of}States.${state}`)}</Tag>;
}

export interface FileInput { name: string; contentType: 'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf'; data: string }

const accepted = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];

/** Reads a picked file as base64 for the API. */
const readFile = (file: File) => new Promise<FileInput>((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve({ name: file.name, contentType: file.type as FileInput['contentType'], data: String(reader.result).split(',')[1] ?? '' });
  reader.onerror = () => reject(reader.error ?? new Error('read failed'));
  reader.readAsDataURL(file);
});

/** Picks evidence files (pictures, PDF), read in the browser and sent with the act. */
export function EvidencePicker({ files, onChange }: { files: FileInput[]; onChange: (files: FileInput[]) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  return (
    <Upload accept={accepted.join(',')} multiple showUploadList={false} beforeUpload={(file) => {
      if (!accepted.includes(file.type) || files.length >= 5) return false;
      setBusy(true);
      void readFile(file).then((f) => onChange([...files, f])).finally(() => setBusy(false));
      return false;
    }}>
      <Flex gap={6} wrap align="center">
        <Button icon={<UploadOutlined />} loading={busy}>{t('supervision.evidence.add')}</Button>
        {files.map((f, i) => <Tag key={`${f.name}-${i}`} closable onClose={() => onChange(files.filter((_, k) => k !== i))}>{f.name}</Tag>)}
      </Flex>
    </Upload>
  );
}

/** Links to the evidence files of a step or a report. */
export function Attachments({ files }: { files: { id: string; name: string; size: number }[] }) {
  if (!files.length) return null;
  return (
    <Flex gap={8} wrap>
      {files.map((f) => (
        <a key={f.id} href={`/api/v1/supervision/attachments/${f.id}`} download={f.name}><PaperClipOutlined /> {f.name} ({Math.max(1, Math.round(f.size / 1024))} KB)</a>
      ))}
    </Flex>
  );
}
