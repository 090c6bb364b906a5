# `make demo` and `make test` set everything up on a fresh clone: the virtual
# environment with reportgen, and the Debian packages PDF output and the tests need.
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
# fonts-noto-cjk: Chinese glyphs (the builtin PDF engine embeds Noto Serif CJK SC);
# libharfbuzz-subset0: fast font subsetting in the WeasyPrint engine (12 s a page
# without it); fontconfig: fc-list/fc-query, how reportgen and
# the tests find the CJK face; poppler-utils: pdftotext/pdftoppm/pdffonts
# for the tests.
APT_PACKAGES := fonts-noto-cjk fontconfig libharfbuzz-subset0 poppler-utils
# LibreOffice converts old .doc/.xls inputs, re-saves outputs in the tests as another
# office suite would, and is what bench/compare.py measures the PDF against: `make test`
# and `make bench` install its headless build where no soffice is found (`make demo`
# does not need it).
OFFICE_PACKAGES := libreoffice-writer-nogui libreoffice-calc-nogui
# Chromium and its driver: the tests of `reportgen serve` walk the web page in a real
# browser (tests/test_web_browser.py); `make test` installs them when run as root.
BROWSER_PACKAGES := chromium chromium-driver

.PHONY: demo test bench bench-parse system-packages office-packages browser-packages clean

demo: $(VENV)/.installed system-packages
	$(BIN)/reportgen render samples/*.yaml -o out
	$(BIN)/reportgen summary tests/data/seeds/*.txt -o out/summary
	$(BIN)/reportgen template entry -o out/entry-自评表.xlsx --kind selfeval
	$(BIN)/reportgen derive selfeval tests/data/seeds/001_39c054e521c71c91.txt -o out/derived
	@echo "done: the files are in out/. For the web page (drop files, see the forms, download them):"
	@echo "  $(BIN)/reportgen serve --open"

test: $(VENV)/.installed system-packages office-packages browser-packages
	$(BIN)/pytest

# Render speed per format, the PDF against LibreOffice on the same forms (which this
# target installs), and peak memory for 1,000 and 10,000 forms. About 10 minutes.
bench: $(VENV)/.installed system-packages office-packages
	$(BIN)/python bench/render.py
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/memory.py -n 1000,10000

bench-parse: $(VENV)/.installed
	$(BIN)/python bench/parse.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# Installs what is missing when running as root, otherwise prints the command to run.
system-packages:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "reportgen needs these system packages; run:  sudo apt-get install$$missing"; \
	fi

office-packages:
	@command -v soffice >/dev/null && exit 0; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OFFICE_PACKAGES) >/dev/null; \
	else \
	  echo "the tests and the benchmark use LibreOffice; run:  sudo apt-get install $(OFFICE_PACKAGES)"; \
	fi

browser-packages:
	@missing=""; for p in $(BROWSER_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ] || ! command -v dpkg-query >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
	  echo "the browser tests of reportgen serve need Chromium; run:  sudo apt-get install$$missing"; \
	fi

clean:
	rm -rf $(VENV) out build src/*.egg-info tests/results
