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

# Two runs: every test that does not run the local LLM, spread over both cores (a test
# file stays on one worker, so its fixtures are built once); then the LLM tests by themselves,
# because llama.cpp slows down far more than 2x when another test shares the cores. The second
# run goes on when the first fails, so one log shows every failure.
test: install-test lint
	status=0; \
	.venv/bin/python -m pytest -n 2 --dist loadfile -m "not llm" --durations=30 || status=$$?; \
	.venv/bin/python -m pytest -m llm --durations=20 || status=$$?; \
	exit $$status

eval: install
	.venv/bin/referat ingest eval/minutes/
	.venv/bin/referat eval eval/questions.jsonl --out eval/reports --floors eval/floors.json
	.venv/bin/referat eval eval/questions.jsonl --retrieval-only --out eval/reports/retrieval-only --floors eval/floors.json
