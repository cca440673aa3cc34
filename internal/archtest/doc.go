// Package archtest holds the test that keeps the package map of docs/decisions.md true:
// who may import whom, and which package is the one home of a concept.
package archtest
