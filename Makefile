# The README's two commands are `make serve` and `make test`; both install what is missing.
.PHONY: install install-test serve test lint eval

install:
	scripts/install.sh

install-test:
	scripts/install.sh --test

serve: install
	.venv/bin/referat serve

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

test: install-test lint
	.venv/bin/python -m pytest --durations=40

eval: install
	.venv/bin/referat ingest eval/minutes/
	.venv/bin/referat eval eval/questions.jsonl --out eval/reports --floors eval/floors.json
	.venv/bin/referat eval eval/questions.jsonl --retrieval-only --out eval/reports/retrieval-only --floors eval/floors.json
