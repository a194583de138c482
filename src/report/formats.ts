// The report formats, alone in a module: the command line checks --report against them without
// loading every renderer.

export const REPORT_FORMATS = ['md', 'json', 'sarif', 'junit', 'codequality'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
