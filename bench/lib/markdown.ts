/** Column alignment in a markdown table. */
export type Align = 'left' | 'right';

/** A markdown table column: its header and alignment. */
export interface Column {
  readonly header: string;
  readonly align?: Align;
}

/**
 * Renders a GitHub-flavoured markdown table, padded so it also reads well as plain text.
 * Cells containing `|` are escaped.
 */
export function markdownTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const escapeCell = (cell: string): string => cell.replaceAll('|', '\\|');
  const body = rows.map((row) => columns.map((_, i) => escapeCell(row[i] ?? '')));
  const widths = columns.map((column, i) =>
    Math.max(3, column.header.length, ...body.map((row) => row[i]!.length)),
  );
  const pad = (cell: string, i: number): string =>
    columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!);
  const line = (cells: readonly string[]): string => `| ${cells.map(pad).join(' | ')} |`;
  const rule = columns.map((column, i) =>
    column.align === 'right' ? `${'-'.repeat(widths[i]! - 1)}:` : '-'.repeat(widths[i]!),
  );
  return [
    line(columns.map((column) => column.header)),
    `| ${rule.join(' | ')} |`,
    ...body.map(line),
  ].join('\n');
}
