"""One reader per published form (txt, pdf, html, ...): each returns the document's text."""
