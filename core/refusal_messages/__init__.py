"""The French message of every refusal code, one module per domain, merged into
`core.refusals.CATALOGUE`."""
