# canaria: every command a developer or CI needs. `make test` and `make demo`
# work on a fresh machine: they install and build what they need first.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

ADDON := bindings-node/canaria.linux-x64-gnu.node
VENV := tests/.venv
# `sls package` runs offline: dummy credentials, no telemetry.
SLS_ENV := AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=y SLS_TELEMETRY_DISABLED=1 SLS_NOTIFICATIONS_MODE=off
SLS := $(SLS_ENV) node $(CURDIR)/node_modules/serverless/bin/serverless.js

# The WebAssembly build. wasm-bindgen-cli must be exactly the version the
# crate pins, or the generated glue does not match the module.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = { version = "=\([^"]*\)".*/\1/p' bindings-wasm/Cargo.toml)
WASM_RAW := target/wasm32-unknown-unknown/wasm-release/canaria_wasm.wasm
WASM_PKG := bindings-wasm/pkg
WASM_STAMP := $(WASM_PKG)/.built
WASM_BINDGEN := wasm-bindgen --experimental-reset-state-function --no-typescript
WASM_OPT := node_modules/.bin/wasm-opt
EDITOR_PORT ?= 8080
# The Node tests that call the engine directly; `make test` runs them on the
# native addon and again on the WebAssembly build (CANARIA_ENGINE=wasm).
ENGINE_TESTS := tests/engine.test.js tests/validate.test.js tests/yaml.test.js

.PHONY: help install wasm-tools build build-node wasm editor serve-editor demo test test-addon test-rust test-js test-js-wasm test-editor bench-editor bench lint fuzz-tools fuzz-seed fuzz-build fuzz-smoke fuzz check-generated check-core-host-free clean FORCE

help:
	@echo "make demo   install, build, package the example service and print its canary plan"
	@echo "make test   install, build and run every test"
	@echo "make build  build everything into place (addon, WebAssembly build, editor)"
	@echo "make serve-editor  serve the browser editor on http://127.0.0.1:$(EDITOR_PORT)/"
	@echo "make bench  canaria against the original plugins, and the core micro-benchmarks (docs/performance.md)"

install: node_modules/.package-lock.json $(VENV)/bin/cfn-lint wasm-tools

node_modules/.package-lock.json: package.json package-lock.json bindings-node/package.json bindings-wasm/package.json editor/package.json js-plugin/package.json tests/package.json
	npm ci --no-audit --no-fund --loglevel=error

$(VENV)/bin/cfn-lint: tests/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
	touch $@

# The wasm32 target and the pinned wasm-bindgen-cli (a ~3 minute build, done
# once: skipped when the installed CLI is already that version).
wasm-tools:
	@if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then \
		rustup target add wasm32-unknown-unknown; fi
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); fi

build: node_modules/.package-lock.json build-node wasm editor

build-node: node_modules/.package-lock.json
	cd bindings-node && npx napi build --platform --release --js index.js --dts index.d.ts

# canaria-wasm: the module (profile wasm-release: size-tuned, panic=abort),
# its glue for Node.js (pkg/node, CommonJS) and for browsers (pkg/web, ES
# module), the module stripped of its name section by wasm-opt from npm's
# binaryen (both flavours share the same module bytes), and the size budget.
# Not `wasm-opt -Oz`: after LLVM's opt-level z it takes 10% off the raw module
# but gzips 9 KB larger, and the budget is gzipped (docs/editor.md).
wasm: $(WASM_STAMP)

$(WASM_RAW): FORCE | wasm-tools
	cargo build -p canaria-wasm --target wasm32-unknown-unknown --profile wasm-release --locked

$(WASM_STAMP): $(WASM_RAW) bindings-wasm/size.js node_modules/.package-lock.json
	rm -rf $(WASM_PKG)
	$(WASM_BINDGEN) --target nodejs --out-dir $(WASM_PKG)/node $(WASM_RAW)
	$(WASM_BINDGEN) --target web --omit-default-module-path --out-dir $(WASM_PKG)/web $(WASM_RAW)
	cmp $(WASM_PKG)/node/canaria_wasm_bg.wasm $(WASM_PKG)/web/canaria_wasm_bg.wasm
	$(WASM_OPT) --strip-debug --strip-producers $(WASM_PKG)/node/canaria_wasm_bg.wasm -o $(WASM_PKG)/node/canaria_wasm_bg.wasm
	cp $(WASM_PKG)/node/canaria_wasm_bg.wasm $(WASM_PKG)/web/canaria_wasm_bg.wasm
	node bindings-wasm/size.js $(WASM_PKG)/web/canaria_wasm_bg.wasm
	touch $@

# The browser editor (editor/), bundled by esbuild into editor/dist.
editor: $(WASM_STAMP)
	node editor/build.mjs

serve-editor: editor
	PORT=$(EDITOR_PORT) node editor/serve.mjs

demo: build
	cd examples/canary-deployments && $(SLS) package
	@echo
	@echo "Canary plan of examples/canary-deployments (from .serverless/cloudformation-template-update-stack.json):"
	@node examples/print-plan.js examples/canary-deployments
	@echo
	@echo "The browser editor (live diagnostics, CloudFormation preview, traffic-shift charts):"
	@echo "  make serve-editor   then open http://127.0.0.1:$(EDITOR_PORT)/"

test: install build test-addon check-generated check-core-host-free test-rust test-js test-js-wasm fuzz-smoke

# The addon with `panicForTest()` (the test-panic feature), built apart from
# the shipped one, for tests/panic.test.js.
test-addon: node_modules/.package-lock.json
	cd bindings-node && npx napi build --platform --features test-panic \
		--target-dir ../target/test-panic --output-dir ../target/test-panic/addon --no-js --dts index.d.ts

test-rust:
	cargo test --workspace --locked

test-js:
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" node --test --test-reporter=spec tests/

# The engine tests again, on the WebAssembly build: same suite, same fixtures.
test-js-wasm:
	CANARIA_ENGINE=wasm PATH="$(CURDIR)/$(VENV)/bin:$$PATH" node --test --test-reporter=spec $(ENGINE_TESTS)

# The editor's end-to-end tests alone (headless Chromium); test-js runs them too.
test-editor:
	node --test --test-reporter=spec tests/editor.test.js

# Recompile-and-render time of a 100-function service in Chromium.
bench-editor: editor
	node bench/editor.js

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings

# Never part of `make test`: timings are only ever reported, not asserted.
# BENCH_ARGS passes options to bench/run.js (e.g. `--sizes 10,100 --runs 3`).
bench: install build
	node bench/run.js --dump bench/.work/inputs/100 --json bench/.work/results.json $(BENCH_ARGS)
	CANARIA_BENCH_INPUTS=$(CURDIR)/bench/.work/inputs/100 cargo bench -p canaria-core --bench passes
	node bench/engines.js
	node bench/editor.js

# The N-API loader and its types are generated by the build and committed;
# a stale copy fails here.
check-generated:
	git diff --exit-code -- bindings-node/index.js bindings-node/index.d.ts

# canaria-core must not depend on any host binding.
check-core-host-free:
	@if cargo tree -p canaria-core -e normal --locked | grep -E 'napi|wasm-bindgen|js-sys'; then \
		echo "canaria-core depends on a host binding" >&2; exit 1; fi

# Fuzzing (core/fuzz, a workspace of its own). The seeds are every
# serverless.yml of the test fixtures; `make fuzz` runs each target for
# FUZZ_SECONDS, `make fuzz-smoke` (part of `make test`) for a few seconds.
FUZZ_TARGETS := yaml_parse validate compile plugin_pass
CARGO_FUZZ_VERSION := 0.13.2
FUZZ_SECONDS ?= 1800
FUZZ_BIN := core/fuzz/target/x86_64-unknown-linux-gnu/release

fuzz-tools:
	@cargo fuzz --version 2>/dev/null | grep -q ' $(CARGO_FUZZ_VERSION)$$' || \
		cargo install cargo-fuzz --version $(CARGO_FUZZ_VERSION) --locked

fuzz-seed:
	cd core/fuzz && cargo run --quiet --bin seed -- corpus \
		../../tests/services ../../tests/invalid ../../tests/compile ../../tests/variables ../../examples

fuzz-build: fuzz-tools
	cd core/fuzz && for target in $(FUZZ_TARGETS); do cargo fuzz build --sanitizer none -O $$target; done

define fuzz-run
	for target in $(FUZZ_TARGETS); do \
		mkdir -p core/fuzz/artifacts/$$target; \
		$(FUZZ_BIN)/$$target core/fuzz/corpus/$$target -artifact_prefix=core/fuzz/artifacts/$$target/ \
			-max_total_time=$(1) -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 2>&1 \
			| grep -E '^(stat::number_of_executed_units|SUMMARY|thread|==)' | sed "s/^/$$target: /"; \
		test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
endef

fuzz-smoke: fuzz-build fuzz-seed
	$(call fuzz-run,10)

fuzz: fuzz-build fuzz-seed
	$(call fuzz-run,$(FUZZ_SECONDS))

clean:
	cargo clean
	rm -rf node_modules tests/.work $(VENV) examples/*/.serverless core/fuzz/target core/fuzz/corpus core/fuzz/artifacts $(WASM_PKG) editor/dist
