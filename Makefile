# The Lambda artifacts for `sam build` (template.yaml: CodeUri ".", Metadata BuildMethod makefile).
#
# SAM's own Maven workflow builds a function's module on its own; ours are modules of one reactor (core, adapters,
# one module per function), so Maven builds them together here and each build-<LogicalId> target, which SAM runs
# once per function with ARTIFACTS_DIR set, only installs that function's jar. Run `sam build` with
# build_in_source (samconfig.toml sets it): SAM then runs these targets in this directory, and the reactor builds
# once for all four functions. See docs/deploy.md.
#
# Needs a JDK 21+ (JAVA_HOME) and nothing else: no Maven (the wrapper), no Node.js (tests are not run).

MVNW ?= ./mvnw
MAVEN_FLAGS ?= -B -q

# The module that builds each function of template.yaml; TemplateTest checks the handlers are there.
MODULE_ApiFunction := functions/api
MODULE_PlannerFunction := functions/planner
MODULE_WorkerFunction := functions/worker
MODULE_ReconcilerFunction := functions/reconciler
FUNCTIONS := ApiFunction PlannerFunction WorkerFunction ReconcilerFunction

FUNCTION_MODULES := $(foreach function,$(FUNCTIONS),$(MODULE_$(function)))
JARS := $(addsuffix /target/function.jar,$(FUNCTION_MODULES))
# What the jars are made of: the functions, the adapters and the core, and the poms that build them.
SOURCES := pom.xml $(shell find functions/core functions/adapters $(FUNCTION_MODULES) \
	\( -name pom.xml -o -path '*/src/main/*' \) -type f)
# sam build --parallel runs the four targets at once; one of them builds, the others wait for it.
LOCK := .aws-sam/maven-reactor.lock

comma := ,
empty :=
space := $(empty) $(empty)

.PHONY: help $(addprefix build-,$(FUNCTIONS)) prebuilt-template
.DEFAULT_GOAL := help

help:
	@echo "sam build runs build-<Function> here for $(FUNCTIONS) (docs/deploy.md)."
	@echo "make prebuilt-template writes $(PREBUILT) for sam deploy of jars built elsewhere."

build-ApiFunction: $(MODULE_ApiFunction)/target/function.jar
	$(install-artifact)

build-PlannerFunction: $(MODULE_PlannerFunction)/target/function.jar
	$(install-artifact)

build-WorkerFunction: $(MODULE_WorkerFunction)/target/function.jar
	$(install-artifact)

build-ReconcilerFunction: $(MODULE_ReconcilerFunction)/target/function.jar
	$(install-artifact)

# A Java deployment package holds its jars under lib/; the shaded function.jar has every dependency inside.
define install-artifact
@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: sam build sets it; by hand run make $@ ARTIFACTS_DIR=<directory>" >&2; exit 1; }
rm -rf "$(ARTIFACTS_DIR)/lib"
mkdir -p "$(ARTIFACTS_DIR)/lib"
cp $< "$(ARTIFACTS_DIR)/lib/function.jar"
endef

# One reactor build makes every jar, and only when a source is newer than the jar asked for. Tests are compiled but
# not run (./mvnw verify runs them): the planner's and worker's tests use the adapters' test jar, which Maven must
# resolve from this reactor even to skip them, and -Dmaven.test.skip would leave it unmade (a clone whose ~/.m2 holds
# no Syncline artifacts could not build). The profile that installs the test emulators with npm is skipped.
$(JARS): $(SOURCES)
	@mkdir -p $(dir $(LOCK))
	@until mkdir $(LOCK) 2>/dev/null; do echo "Waiting for another build of the functions (or delete $(LOCK))"; sleep 5; done; \
	trap 'rmdir $(LOCK)' EXIT INT TERM; \
	if [ -f $@ ] && [ -z "$$(find $(SOURCES) -newer $@ | head -n 1)" ]; then \
		echo "$@ is up to date"; \
	else \
		echo "Building the functions with Maven"; \
		$(MVNW) $(MAVEN_FLAGS) -DskipTests -P '!install-dynalite' \
			-pl $(subst $(space),$(comma),$(FUNCTION_MODULES)) -am package \
		&& touch $(JARS); \
	fi

# `sam deploy` of jars built elsewhere (a CI job that ran ./mvnw verify, say): template.yaml with each function's
# CodeUri pointing at its jar, written to $(PREBUILT). Deploy with
#   sam deploy --template-file .aws-sam/prebuilt/template.yaml --guided
PREBUILT ?= .aws-sam/prebuilt/template.yaml
PREBUILT_ROOT ?= ../..

prebuilt-template:
	@mkdir -p $(dir $(PREBUILT))
	@awk -v modules="$(foreach function,$(FUNCTIONS),$(function)=$(MODULE_$(function)))" -v root="$(PREBUILT_ROOT)" ' \
		BEGIN { wanted = split(modules, pairs, " "); for (i = 1; i <= wanted; i++) { split(pairs[i], pair, "="); module[pair[1]] = pair[2] } } \
		/^  [A-Za-z0-9]+:[ ]*$$/ { resource = $$1; sub(/:.*/, "", resource) } \
		/^      CodeUri: [.][ ]*$$/ && (resource in module) { print "      CodeUri: " root "/" module[resource] "/target/function.jar"; done++; next } \
		{ print } \
		END { if (done != wanted) { print "expected " wanted " functions with CodeUri ., found " done > "/dev/stderr"; exit 1 } }' \
		template.yaml > $(PREBUILT)
	@for jar in $(JARS); do test -f $$jar || echo "Note: $$jar is missing; build it before sam deploy (./mvnw -DskipTests package)."; done
	@echo "Wrote $(PREBUILT)"
