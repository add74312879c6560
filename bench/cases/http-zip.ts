/** `http-zip`: the invoice-item export as a ZIP file through the HTTP API of `openaqua serve` (see ../http-export.ts). */
import { httpExportCase } from '../http-export.ts';

export const httpZipCase = httpExportCase('zip');
