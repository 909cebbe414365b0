"""Power lists (权责清单) of agencies and institutions and the law-enforcement list (执法事项)."""
