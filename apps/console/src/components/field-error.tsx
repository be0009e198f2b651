import type { FieldIssue } from '../api';

/** The API's messages for this field (and, with `nested`, for fields inside it), shown next to the input. */
export function FieldError({ fields, path, nested = false }: { fields: FieldIssue[]; path: string; nested?: boolean }) {
  const mine = fields.filter((f) => f.field === path || (nested && f.field.startsWith(`${path}.`)));
  if (mine.length === 0) return null;
  return (
    <span className="field-error" role="alert" data-field={path}>
      {mine.map((f) => (f.field === path ? f.message : `${f.field.slice(path.length + 1)}: ${f.message}`)).join('; ')}
    </span>
  );
}
