# The contest platform: one Go module, one binary (`contest`), kubebuilder layout.

# Versions are pinned here; tools are built from the Go module proxy.
CONTROLLER_TOOLS_VERSION ?= v0.23.0
# envtest's control plane matches k8s.io/client-go in go.mod (v0.37.x -> Kubernetes 1.37.x).
ENVTEST_K8S_VERSION ?= 1.37.2
ENVTEST_ETCD_VERSION ?= 3.7.0
# Chart and kustomize tooling. kustomize v5.8.3 needs Go 1.27, hence v5.8.2.
HELM_VERSION ?= v3.22.0
KUBECONFORM_VERSION ?= v0.8.0
KUSTOMIZE_VERSION ?= v5.8.2
# The ServiceMonitor CRD the chart tests install comes from this module.
PROMETHEUS_OPERATOR_VERSION ?= v0.85.0
# axe-core (the accessibility test's engine) comes from npm at the version that
# test/a11y/package-lock.json pins.

LOCALBIN ?= $(CURDIR)/bin
CONTROLLER_GEN ?= $(LOCALBIN)/controller-gen
ENVTEST_ASSETS ?= $(LOCALBIN)/k8s
HELM ?= $(LOCALBIN)/helm
KUBECONFORM ?= $(LOCALBIN)/kubeconform
KUSTOMIZE ?= $(LOCALBIN)/kustomize
TEST_CRDS ?= $(LOCALBIN)/test-crds
AXE ?= $(LOCALBIN)/axe.min.js
CHART_DIR ?= charts/contest-platform

# The image `make build-installer` writes into dist/install.yaml.
IMG ?= contest-platform:latest

# Test selection and flags, e.g. `make test TEST_PKGS=./api/...`.
TEST_PKGS ?= ./...
TEST_FLAGS ?= -count=1 -timeout 20m

SHELL = /usr/bin/env bash -o pipefail
.SHELLFLAGS = -ec

.PHONY: all
all: build

##@ General

.PHONY: help
help: ## Show this help.
	@awk 'BEGIN {FS = ":.*##"; printf "\nUsage:\n  make \033[36m<target>\033[0m\n"} /^[a-zA-Z_0-9-]+:.*?##/ { printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2 } /^##@/ { printf "\n\033[1m%s\033[0m\n", substr($$0, 5) } ' $(MAKEFILE_LIST)

##@ Development

.PHONY: manifests
manifests: controller-gen ## Generate the CRD and RBAC manifests under config/ and their copies in the chart.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd:allowDangerousTypes=false webhook paths="./..." output:crd:artifacts:config=config/crd/bases
	rm -f $(CHART_DIR)/crds/*.yaml
	cp config/crd/bases/*.yaml $(CHART_DIR)/crds/
	cp config/rbac/role.yaml $(CHART_DIR)/files/manager-role.yaml

.PHONY: generate
generate: controller-gen ## Generate DeepCopy methods for the API types.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./..."

.PHONY: api-docs
api-docs: ## Generate docs/api-reference.md from the CRD (after `make manifests`).
	go run ./hack/apidocs

.PHONY: fmt
fmt: ## Run gofmt on the module.
	gofmt -l -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*')

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: test
test: manifests generate fmt vet envtest helm kubeconform kustomize test-crds axe-core ## Run every test (the chart's too) against a throwaway PostgreSQL and the envtest kube-apiserver.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" hack/with-postgres.sh go test $(TEST_FLAGS) $(TEST_PKGS)

# Fuzzing: how long each fuzz target runs (go test -fuzztime), and how long the fuzzer may
# spend shrinking one new input (Go's default, 60s, would eat a short run on slow targets).
FUZZTIME ?= 15s
FUZZMINIMIZETIME ?= 2s

.PHONY: fuzz
fuzz: ## Fuzz every parser of untrusted input (each func FuzzXxx in a _test.go file), FUZZTIME (15s) each, one after another; a failing input is saved under the package's testdata/fuzz/FuzzXxx/ and then runs with every `go test` (hack/fuzz.sh tells Go's end-of-fuzztime race from a finding).
	FUZZTIME=$(FUZZTIME) FUZZMINIMIZETIME=$(FUZZMINIMIZETIME) hack/fuzz.sh

.PHONY: chart-test
chart-test: manifests envtest helm kubeconform kustomize test-crds ## Only the Helm chart and kustomize checks (test/chart); -update rewrites the snapshots: make chart-test TEST_ARGS='-args -update'.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" go test $(TEST_FLAGS) ./test/chart/ $(TEST_ARGS)

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the `contest` binary into bin/.
	go build -o $(LOCALBIN)/contest .

.PHONY: build-installer
build-installer: manifests kustomize ## Write dist/install.yaml (CRD, RBAC, operator) for `kubectl apply`, with the image $$IMG.
	@mkdir -p dist
	@overlay=$$(mktemp -d); trap 'rm -rf "$$overlay"' EXIT; \
	printf 'resources:\n- %s\n' "$$(realpath --relative-to="$$overlay" "$(CURDIR)/config/default")" > "$$overlay/kustomization.yaml"; \
	(cd "$$overlay" && $(KUSTOMIZE) edit set image contest-platform=$(IMG)); \
	$(KUSTOMIZE) build "$$overlay" > dist/install.yaml
	@echo "wrote dist/install.yaml (image $(IMG))"

.PHONY: run-migrate
run-migrate: build ## Apply database migrations to $$CONTEST_DATABASE_URL.
	$(LOCALBIN)/contest migrate

##@ Tools

.PHONY: controller-gen
controller-gen: ## Install controller-gen into bin/ (cached per version outside the tree).
	@hack/go-install-tool.sh $(CONTROLLER_GEN) sigs.k8s.io/controller-tools/cmd/controller-gen $(CONTROLLER_TOOLS_VERSION)

.PHONY: helm
helm: ## Install helm into bin/ (release ldflags: its version, and Kubernetes 1.37 as the default for `helm template`).
	@GOFLAGS='"-ldflags=-s -w -X helm.sh/helm/v3/internal/version.version=$(HELM_VERSION) -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=37 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=37"' \
		hack/go-install-tool.sh $(HELM) helm.sh/helm/v3/cmd/helm $(HELM_VERSION)

.PHONY: kubeconform
kubeconform: ## Install kubeconform into bin/.
	@hack/go-install-tool.sh $(KUBECONFORM) github.com/yannh/kubeconform/cmd/kubeconform $(KUBECONFORM_VERSION)

.PHONY: kustomize
kustomize: ## Install kustomize into bin/.
	@hack/go-install-tool.sh $(KUSTOMIZE) sigs.k8s.io/kustomize/kustomize/v5 $(KUSTOMIZE_VERSION)

.PHONY: test-crds
test-crds: ## Copy the ServiceMonitor CRD from the prometheus-operator Go module into bin/test-crds for the chart tests.
	@if [ ! -f $(TEST_CRDS)/.version-$(PROMETHEUS_OPERATOR_VERSION) ]; then \
	  tmp=$$(mktemp -d); \
	  dir=$$(cd "$$tmp" && go mod download -json github.com/prometheus-operator/prometheus-operator@$(PROMETHEUS_OPERATOR_VERSION) | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$$/\1/p'); \
	  rmdir "$$tmp"; \
	  test -n "$$dir"; \
	  rm -rf $(TEST_CRDS) && mkdir -p $(TEST_CRDS); \
	  cp "$$dir/example/prometheus-operator-crd/monitoring.coreos.com_servicemonitors.yaml" $(TEST_CRDS)/; \
	  chmod u+w $(TEST_CRDS)/*.yaml; \
	  touch $(TEST_CRDS)/.version-$(PROMETHEUS_OPERATOR_VERSION); \
	fi

.PHONY: axe-core
axe-core: ## Install axe-core (npm ci of test/a11y, cached per version outside the tree) and link its axe.min.js into bin/ for the accessibility test.
	@hack/npm-install-tool.sh test/a11y axe-core axe.min.js $(AXE)

.PHONY: envtest
envtest: ## Build kube-apiserver and etcd for envtest into bin/k8s from the Go module proxy.
	@hack/build-envtest.sh $(ENVTEST_K8S_VERSION) $(ENVTEST_ETCD_VERSION) $(ENVTEST_ASSETS)

##@ Measuring

.PHONY: bench
bench: ## Measure the whole journey: pgbench on one flow's SQL (recorded from the app), then contest web + contest loadtest, three runs each; writes the generated section of docs/BENCHMARKS.md. BENCH_MODE=quick: a smoke test.
	hack/bench.sh

.PHONY: bench-console
bench-console: ## Organizer statistics at 1,000,000 attempts: the five benchmarks of docs/BENCHMARKS.md's section of that name against one throwaway PostgreSQL (about 30 minutes).
	hack/bench-console.sh

##@ Demo

.PHONY: demo
demo: envtest ## Run a whole contest on this machine: PostgreSQL, kube-apiserver, operator, web app, ranking. Ctrl-C stops it.
	go run ./hack/demo
