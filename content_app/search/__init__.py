"""Search: the index of published content (models, index), the queries per database
(backends), synonyms, and `search()` which the API view calls (service)."""
