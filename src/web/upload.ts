import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readTable, TableError, type TableRow } from '../domain/imports/readTable.js';

/** The multipart body as the plugin parses it (`attachFieldsToBody: 'keyValues'`): fields as strings, the file as a Buffer. */
export function multipartBody(req: FastifyRequest): Record<string, unknown> {
  return req.isMultipart() ? ((req.body ?? {}) as Record<string, unknown>) : {};
}

/**
 * The uploaded CSV or XLSX (field `file`) read by the same reader as the command line's imports, or the
 * key of the polite reason why not (under web:org.upload).
 */
export async function uploadedTable(
  req: FastifyRequest,
  columns: readonly string[],
): Promise<{ ok: true; rows: TableRow[] } | { ok: false; error: string }> {
  const file = multipartBody(req).file;
  if (!Buffer.isBuffer(file) || file.length === 0) return { ok: false, error: 'web:org.upload.no_file' };
  const ext = file[0] === 0x50 && file[1] === 0x4b ? 'xlsx' : 'csv';
  const dir = await mkdtemp(join(tmpdir(), 'capuy-web-'));
  try {
    const path = join(dir, `upload.${ext}`);
    await writeFile(path, file);
    return { ok: true, rows: await readTable(path, columns) };
  } catch (err) {
    return { ok: false, error: err instanceof TableError ? 'web:org.upload.bad_columns' : 'web:org.upload.bad_file' };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const rowsSchema = z.array(z.object({ line: z.number().int().min(1), values: z.record(z.string(), z.string().max(4000)) })).max(50_000);

/** Rows carried from a preview to "Áp dụng" in a hidden field; checked again by the use case, nothing trusted. */
export function carriedRows(value: unknown): TableRow[] | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = rowsSchema.safeParse(JSON.parse(value));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
