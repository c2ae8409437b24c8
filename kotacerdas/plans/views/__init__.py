"""Plan pages, by area: editions and their content, programmes, review (dispositions, change log,
comments), approval, and the figures (check, roadmap, budgets, export/import)."""
