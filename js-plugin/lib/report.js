'use strict';

// Turns the core's diagnostics into what a Serverless user sees: errors
// become one ServerlessError (no stack trace), warnings go to the log.

function formatDiagnostic(d) {
  const where = d.path ? `${d.path}: ` : '';
  const lines = [`${where}${d.message} [${d.code}]`];
  if (d.help) lines.push(`  help: ${d.help}`);
  return lines.join('\n');
}

function formatErrors(errors) {
  const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
  return [
    `canaria found ${count} in the configuration:`,
    ...errors.map((d) => formatDiagnostic(d).replace(/^/gm, '  ')),
  ].join('\n');
}

/**
 * Logs warnings and infos; throws one ServerlessError listing every error.
 * Throws before the caller touches the template, so it stays as it was.
 */
function report(serverless, log, diagnostics) {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics) {
    if (d.severity === 'warning' && log) log.warning(formatDiagnostic(d));
    if (d.severity === 'info' && log) log.info(formatDiagnostic(d));
  }
  if (errors.length > 0) {
    throw new serverless.classes.Error(formatErrors(errors), 'CANARIA_INVALID_CONFIGURATION');
  }
}

module.exports = { report, formatDiagnostic, formatErrors };
