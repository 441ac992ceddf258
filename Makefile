# imilo-audit — deux commandes : `make audit` et `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installe
MONTH  ?= 2026-10

.PHONY: audit test lint install sample clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 ou plus récent est nécessaire (trouvé : $$($(PYTHON) --version))."; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  { echo "Impossible de créer l'environnement .venv : sous Debian/Ubuntu, installez python3-venv (sudo apt install python3-venv)."; exit 2; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## Audit de l'échantillon fourni (data_samples/), publié dans audits/$(MONTH)/
audit: $(STAMP)
	$(BIN)/imilo-audit run data_samples --out audits --month $(MONTH)

## Vérifications : style (ruff) puis tests (pytest)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

## Régénère l'échantillon et ses anomalies attendues
sample: $(STAMP)
	rm -f data_samples/*.csv data_samples/*.txt data_samples/*.xlsx
	$(BIN)/imilo-audit sample data_samples --jeunes 3000 --seed 1 --date-reference 2026-10-31

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
