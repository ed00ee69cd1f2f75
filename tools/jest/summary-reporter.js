// Prints the closing line CI reads (`N passed, N failed[, N skipped]`) and, for every skipped
// test, why it was skipped. A test is skipped with a reason by naming it `... [skip: reason]`
// or by calling `skipBecause(reason)` from @sightline/test-support (which records the reason).
const { writeFileSync, mkdirSync } = require('node:fs');
const path = require('node:path');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') {
          skipped.push(`${path.relative(process.cwd(), file.testFilePath)} › ${t.fullName}`);
        }
      }
    }
    const failedSuites = results.numFailedTestSuites - results.testResults.filter((f) => f.numFailingTests > 0).length;
    const summary = {
      passed: results.numPassedTests,
      failed: results.numFailedTests + Math.max(0, failedSuites),
      skipped: results.numPendingTests + results.numTodoTests,
      skippedTests: skipped,
    };
    const out = process.env.SIGHTLINE_TEST_SUMMARY;
    if (out) {
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify(summary, null, 2));
    }
    if (skipped.length > 0) {
      process.stdout.write(`\nSkipped tests (${skipped.length}):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
    }
  }
}

module.exports = SummaryReporter;
