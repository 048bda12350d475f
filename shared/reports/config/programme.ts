import type { ReportNames } from '../presentation/report-table.ts';
import programme from './programme-projects.json' with { type: 'json' };

/** The programme's project names by component code, for report files (edit the JSON beside this file). */
export const reportNames: ReportNames = { projects: programme.projects };
