# imilo-audit — deux commandes : `make audit` et `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installe
MONTH  ?= 2026-10

.PHONY: audit test lint install navigateur sample bench lab docs clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 ou plus récent est nécessaire (trouvé : $$($(PYTHON) --version))."; exit 2; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || \
	  { echo "Impossible de créer l'environnement .venv : sous Debian/Ubuntu, installez python3-venv (sudo apt install python3-venv)."; exit 2; }
	@echo "Installation de l'environnement $(VENV) (une minute environ, une seule fois) …"
	@{ $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e ".[dev]"; } \
	  > $(VENV)/installation.log 2>&1 || \
	  { tail -n 20 $(VENV)/installation.log; \
	    echo "L'installation a échoué (réseau, droits ?) : le détail est dans $(VENV)/installation.log."; exit 2; }
	@$(BIN)/python -m imilo_audit.run.kernelspec >> $(VENV)/installation.log 2>&1
	@touch $(STAMP)

install: $(STAMP)

## Audit de l'échantillon fourni (data_samples/), publié dans audits/$(MONTH)/
audit: $(STAMP)
	@$(BIN)/imilo-audit run data_samples --out audits --month $(MONTH)

## Vérifications : style (ruff) puis tests (pytest)
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n auto --dist loadfile

## Chromium de Debian, pour le test du navigateur (sans lui, ce test est sauté hors CI)
navigateur:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "Installation de Chromium (paquet Debian chromium) …"; \
	  { $$SUDO apt-get install -y chromium || { $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }; } \
	    > .chromium-installation.log 2>&1 || \
	  { tail -n 20 .chromium-installation.log; echo "L'installation de Chromium a échoué : le détail est dans .chromium-installation.log."; exit 2; }; }

lint: $(STAMP)
	$(BIN)/ruff check .

## Mesures : durée, CPU, mémoire et étapes d'audits complets : l'échantillon, un export généré de JEUNES
## jeunes (peu d'anomalies) et un export chargé de CHARGE jeunes (0,45 anomalie par jeune, 670 conseillers)
JEUNES ?= 100000
CHARGE ?= 100000
REPETITIONS ?= 3
bench: $(STAMP)
	@$(BIN)/imilo-audit bench --echantillon --jeunes $(JEUNES) --charge $(CHARGE) --repetitions $(REPETITIONS)

## JupyterLab en français, dans son propre environnement (.venv-lab), avec le noyau du projet
LAB := .venv-lab
LAB_ARGS ?=  # e.g. --no-browser --port 8899
LAB_STAMP = $(LAB)/.installe
$(LAB_STAMP): jupyterlab/overrides.json
	@echo "Installation de JupyterLab en français dans $(LAB) (une fois, une minute environ) …"
	@mkdir -p $(LAB)
	@{ test -x $(LAB)/bin/python || $(PYTHON) -m venv $(LAB); } && \
	  $(LAB)/bin/python -m pip install --quiet "jupyterlab>=4.4,<5" "jupyterlab-language-pack-fr-FR" \
	  > $(LAB)/installation.log 2>&1 || \
	  { tail -n 20 $(LAB)/installation.log; \
	    echo "L'installation de JupyterLab a échoué (réseau, droits ?) : le détail est dans $(LAB)/installation.log."; exit 2; }
	@mkdir -p $(LAB)/share/jupyter/lab/settings
	@cp jupyterlab/overrides.json $(LAB)/share/jupyter/lab/settings/overrides.json
	@touch $(LAB_STAMP)

lab: $(STAMP) $(LAB_STAMP)
	@$(BIN)/python -m imilo_audit.run.kernelspec $(LAB) >/dev/null 2>&1
	@if [ "$$(id -u)" = 0 ]; then \
	  echo "Attention : JupyterLab est lancé avec le compte administrateur (root). C'est permis, mais un compte ordinaire est plus sûr sur un poste partagé."; fi
	@$(LAB)/bin/jupyter lab notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) $(LAB_ARGS)

## Régénère docs/regles.md et docs/export.md (depuis les suites et la table des colonnes)
docs: $(STAMP)
	@$(BIN)/python -m imilo_audit.rules.docs

## Régénère l'échantillon et ses anomalies attendues
sample: $(STAMP)
	rm -f data_samples/*.csv data_samples/*.txt data_samples/*.xlsx
	$(BIN)/imilo-audit sample data_samples --jeunes 3000 --seed 1 --date-reference 2026-10-31

clean:
	rm -rf $(VENV) $(LAB) .pytest_cache .ruff_cache .bench
