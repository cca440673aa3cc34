// Package rankcontract is the contract between the operator and the ranking Job: the names
// of the Job and of the objects the operator makes for it (its summary ConfigMap, its Role
// and RoleBinding), and the summary the Job leaves in that ConfigMap for the operator to copy
// into the round's status.
//
// It imports only the standard library and the API types, so the operator depends on the
// contract without depending on the Job's implementation (internal/rankjob), which reads
// and writes PostgreSQL.
package rankcontract
