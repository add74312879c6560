/** `http-gzip`: the invoice-item export as a GZIP file through the HTTP API of `openaqua serve` (see ../http-export.ts). */
import { httpExportCase } from '../http-export.ts';

export const httpGzipCase = httpExportCase('gzip');
