// Package e2e holds curator's end-to-end browser tests: the curator binary
// runs the bundled example data, and headless Chromium (Debian's chromium
// package) loads the run's report and its live dashboard as a person
// would. The package has no code of its own; its tests are the point.
//
// With CURATOR_SCREENSHOTS set to a directory (make screenshots sets it to
// docs/), the tests save their screenshots there.
package e2e
