// Package roundfile loads ContestRound objects from YAML files, for running the exam web
// app without a cluster (`contest web --rounds-file`).
//
// A file is accepted exactly when the API server would accept it on creation: the
// CustomResourceDefinition generated into config/crd/bases is embedded in the binary and
// run through the same apiextensions-apiserver code the API server runs for a created
// custom resource — pruning of unknown fields (reported as errors, as kubectl's strict
// field validation does), schema defaults, OpenAPI validation, list-type checks and the
// CEL x-kubernetes-validations rules (transition rules are skipped: there is no old
// object). Metadata is validated as the server does; the namespace defaults to the
// caller's. A file may hold several YAML documents separated by "---"; empty ones are
// skipped.
//
// Differences from `kubectl apply`, all in the direction of refusing more:
//   - round names must be unique across all files (kubectl would let a later document
//     update an earlier one);
//   - a round must have metadata.name (generateName alone is refused);
//   - duplicate keys in a YAML mapping are refused (kubectl keeps the last one);
//   - a file without any round is refused (as kubectl refuses "no objects passed");
//   - a value the API server stores but the Go type cannot hold is refused.
//
// Load returns every problem of every file at once in a *LoadError, each located by file,
// document, round and field, with the reason worded as the API server words it.
package roundfile
