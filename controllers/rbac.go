// Package controllers holds the operator's reconcilers: the ContestRound controller opens
// and closes rounds on schedule, scales the exam web Deployment and runs the ranking Job.
package controllers

// The manager's permissions, least privilege; `make manifests` turns these markers into
// config/rbac/role.yaml (and the chart's copy). The installs bind it per namespace. The chart
// owns the web Deployment: the operator reads it (and watches it, to undo a hand-made change)
// and changes only its replica count, through the scale subresource, so it holds no right to
// rewrite the Deployment's pods. HPAs have their floor patched, never created or deleted.
// +kubebuilder:rbac:groups=contest.dxcontest.io,resources=contestrounds,verbs=get;list;watch
// +kubebuilder:rbac:groups=contest.dxcontest.io,resources=contestrounds/status,verbs=get;update;patch
// Owner references with blockOwnerDeletion need this where OwnerReferencesPermissionEnforcement is on.
// +kubebuilder:rbac:groups=contest.dxcontest.io,resources=contestrounds/finalizers,verbs=update
// +kubebuilder:rbac:groups=apps,resources=deployments,verbs=get;list;watch
// +kubebuilder:rbac:groups=apps,resources=deployments/scale,verbs=get;update;patch
// +kubebuilder:rbac:groups=autoscaling,resources=horizontalpodautoscalers,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch
// Ranking: one Job per round (and re-rank), its summary ConfigMap, and a per-round Role that
// lets the Job read that round and write that ConfigMap only (so the operator holds those
// verbs too: Kubernetes grants no more than the granter has). The Role and RoleBinding are
// updated when they drift (a new --rank-service-account, a hand edit), never deleted: the
// round owns them.
// +kubebuilder:rbac:groups=batch,resources=jobs,verbs=get;list;watch;create
// +kubebuilder:rbac:groups="",resources=configmaps,verbs=get;list;watch;create;update;patch
// +kubebuilder:rbac:groups=rbac.authorization.k8s.io,resources=roles;rolebindings,verbs=get;list;watch;create;update
