"""Tables and the foreign keys between them, as one model drawn four ways.

`graph` picks the tables (a neighbourhood by hops, a glob, the whole schema); `mermaid` and
`dot` print them for Markdown and Graphviz; `boxes` lays them out in box-drawing characters for
the Browse screen's Relations tab; `docs` writes one Markdown page per table. Pure Python over a
`Catalog`: no database, no terminal.
"""
