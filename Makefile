# Two commands do everything (see README):
#   make        install everything, run every notebook on seeds/, write figures/ (the clone stays clean)
#   make test   install the test tools, run the whole suite (library + notebooks)

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
CORPUS ?= seeds
OUT    ?= .
JOBS   ?= 2
DOC_MODULES = analysis analysis.config analysis.hashing analysis.outputs analysis.load analysis.models analysis.measure analysis.count analysis.show analysis.run

.PHONY: all run test check docs clean

all: run

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -qq --upgrade pip

# The transformer extra (torch 2.13.0 CPU, ~1 GB in the venv) is the default tone method the committed
# figures were drawn with, so make installs it: the same figures on every machine, a clean clone after make.
$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq -c constraints.txt -e ".[transformer]"
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install -qq -c constraints.txt -e ".[test,transformer]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m analysis run $(CORPUS) --out $(OUT) --jobs $(JOBS)

check: $(VENV)/.installed
	$(BIN)/python -m analysis check $(CORPUS)

test: $(VENV)/.installed-test
	$(BIN)/lint-imports  # the stages import downwards only (pyproject.toml, [tool.importlinter])
	$(BIN)/python -m pytest --nbval-lax tests notebooks

# The API reference, from the docstrings: docs/api/index.html (generated, not tracked).
docs: $(VENV)/.installed-test
	$(BIN)/pdoc -o docs/api $(DOC_MODULES)

clean:
	rm -rf $(VENV) html tables .pytest_cache
