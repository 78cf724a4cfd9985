// result.mjs — the pass/fail tally of the UI test scripts: each check
// counts, a failed one prints what failed, and finish() prints
// "N passed, N failed" and sets the exit status, like tests/lib.sh.
let passed = 0;
let failed = 0;

export function check(ok, what) {
  if (ok) passed++;
  else {
    failed++;
    console.log('FAIL: ' + what);
  }
  return ok;
}

export function finish() {
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
