"""Use-case coverage: which business use cases a schema supports, fully or partly, and what is missing.

usecases.py   use_cases.toml → UseCase values (file:line errors)
evaluate.py   use cases × Catalog → Coverage (no data read)
scenarios.py  scenario SQL files, run in a transaction that is always rolled back
results.py    the frozen results and the `workbench coverage --json` contract
markdown.py   coverage as Markdown (the table the user used to type by hand)
suite.py      a project's use cases + scenario files, measured against a connection
scratch.py    throwaway database copies for coverage per migration
timeline.py   coverage after each migration, replayed on a scratch copy
report.py     the migration report (`workbench report`), like the user's seed 001
"""
