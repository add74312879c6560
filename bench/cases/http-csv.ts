/** `http-csv`: the invoice-item export as a CSV file through the HTTP API of `openaqua serve` (see ../http-export.ts). */
import { httpExportCase } from '../http-export.ts';

export const httpCsvCase = httpExportCase('csv');
