// Prints one plain closing line ("e2e: N passed, N failed") that CI logs and tooling can read.
class SummaryReporter {
  constructor() {
    this.passed = 0;
    this.failed = 0;
    this.skipped = 0;
  }

  onTestEnd(test, result) {
    // Counted per test at its final outcome; retries are off, so there is one result each.
    if (result.status === 'skipped') this.skipped += 1;
    else if (result.status === test.expectedStatus) this.passed += 1;
    else this.failed += 1;
  }

  onEnd() {
    const skipped = this.skipped ? `, ${this.skipped} skipped` : '';
    process.stdout.write(`\ne2e: ${this.passed} passed, ${this.failed} failed${skipped}\n`);
  }

  printsToStdio() {
    return false;
  }
}

module.exports = SummaryReporter;
