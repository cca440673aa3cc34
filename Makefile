# The contest platform: one Go module, one binary (`contest`), kubebuilder layout.

# Versions are pinned here; tools are built from the Go module proxy.
CONTROLLER_TOOLS_VERSION ?= v0.23.0
# envtest's control plane matches k8s.io/client-go in go.mod (v0.37.x -> Kubernetes 1.37.x).
ENVTEST_K8S_VERSION ?= 1.37.2
ENVTEST_ETCD_VERSION ?= 3.7.0

LOCALBIN ?= $(CURDIR)/bin
CONTROLLER_GEN ?= $(LOCALBIN)/controller-gen
ENVTEST_ASSETS ?= $(LOCALBIN)/k8s

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
manifests: controller-gen ## Generate the CRD and RBAC manifests under config/.
	$(CONTROLLER_GEN) rbac:roleName=manager-role crd:allowDangerousTypes=false webhook paths="./..." output:crd:artifacts:config=config/crd/bases

.PHONY: generate
generate: controller-gen ## Generate DeepCopy methods for the API types.
	$(CONTROLLER_GEN) object:headerFile="hack/boilerplate.go.txt" paths="./..."

.PHONY: fmt
fmt: ## Run gofmt on the module.
	gofmt -l -w $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './bin/*')

.PHONY: vet
vet: ## Run go vet.
	go vet ./...

.PHONY: test
test: manifests generate fmt vet envtest ## Run every test against a throwaway PostgreSQL and the envtest kube-apiserver.
	KUBEBUILDER_ASSETS="$(ENVTEST_ASSETS)" hack/with-postgres.sh go test $(TEST_FLAGS) $(TEST_PKGS)

##@ Build

.PHONY: build
build: manifests generate fmt vet ## Build the `contest` binary into bin/.
	go build -o $(LOCALBIN)/contest .

.PHONY: run-migrate
run-migrate: build ## Apply database migrations to $$CONTEST_DATABASE_URL.
	$(LOCALBIN)/contest migrate

##@ Tools

.PHONY: controller-gen
controller-gen: ## Install controller-gen into bin/ (cached per version outside the tree).
	@hack/go-install-tool.sh $(CONTROLLER_GEN) sigs.k8s.io/controller-tools/cmd/controller-gen $(CONTROLLER_TOOLS_VERSION)

.PHONY: envtest
envtest: ## Build kube-apiserver and etcd for envtest into bin/k8s from the Go module proxy.
	@hack/build-envtest.sh $(ENVTEST_K8S_VERSION) $(ENVTEST_ETCD_VERSION) $(ENVTEST_ASSETS)
