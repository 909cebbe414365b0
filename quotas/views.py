"""Pages of the ledger. The reduction report moved to the reform's effect report (/reforms/effect/); its old
address keeps working for bookmarks and links, its query string kept. The ledger imports nothing of the reform:
the redirect names the page by its URL name only."""
from django.views.generic import RedirectView

reduction_report = RedirectView.as_view(pattern_name="reforms:effect", query_string=True, permanent=True)
